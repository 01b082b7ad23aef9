using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hl7InboxKeyControlIdFirst : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Hl7InboundMessages_SendingApplication_SendingFacility_ControlId",
                table: "Hl7InboundMessages");

            migrationBuilder.CreateIndex(
                name: "IX_Hl7InboundMessages_ControlId_SendingApplication_SendingFacility",
                table: "Hl7InboundMessages",
                columns: new[] { "ControlId", "SendingApplication", "SendingFacility" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Hl7InboundMessages_ControlId_SendingApplication_SendingFacility",
                table: "Hl7InboundMessages");

            migrationBuilder.CreateIndex(
                name: "IX_Hl7InboundMessages_SendingApplication_SendingFacility_ControlId",
                table: "Hl7InboundMessages",
                columns: new[] { "SendingApplication", "SendingFacility", "ControlId" },
                unique: true);
        }
    }
}
