using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hl7Inbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Hl7InboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SendingApplication = table.Column<string>(type: "TEXT", maxLength: 180, nullable: false),
                    SendingFacility = table.Column<string>(type: "TEXT", maxLength: 180, nullable: false),
                    ControlId = table.Column<string>(type: "TEXT", maxLength: 199, nullable: true),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Raw = table.Column<string>(type: "TEXT", nullable: false),
                    Peer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Resends = table.Column<int>(type: "INTEGER", nullable: false),
                    LastReplayedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Hl7InboundMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Hl7InboundMessages_ReceivedAt",
                table: "Hl7InboundMessages",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Hl7InboundMessages_SendingApplication_SendingFacility_ControlId",
                table: "Hl7InboundMessages",
                columns: new[] { "SendingApplication", "SendingFacility", "ControlId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hl7InboundMessages_Status_ReceivedAt",
                table: "Hl7InboundMessages",
                columns: new[] { "Status", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Hl7InboundMessages");
        }
    }
}
