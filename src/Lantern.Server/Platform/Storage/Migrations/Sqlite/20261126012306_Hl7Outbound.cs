using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hl7Outbound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RecordedBy",
                table: "Outbox",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Hl7OutboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OutboxId = table.Column<long>(type: "INTEGER", nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Raw = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Ack = table.Column<string>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Hl7OutboundMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Hl7OutboundMessages_Destination_OutboxId",
                table: "Hl7OutboundMessages",
                columns: new[] { "Destination", "OutboxId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hl7OutboundMessages_SentAt",
                table: "Hl7OutboundMessages",
                column: "SentAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Hl7OutboundMessages");

            migrationBuilder.DropColumn(
                name: "RecordedBy",
                table: "Outbox");
        }
    }
}
