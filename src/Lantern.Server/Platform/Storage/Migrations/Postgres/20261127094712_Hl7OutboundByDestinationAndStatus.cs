using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Hl7OutboundByDestinationAndStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Hl7OutboundMessages_Destination_Status_SentAt",
                table: "Hl7OutboundMessages",
                columns: new[] { "Destination", "Status", "SentAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Hl7OutboundMessages_Destination_Status_SentAt",
                table: "Hl7OutboundMessages");
        }
    }
}
