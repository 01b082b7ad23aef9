using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Hl7OutboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Destination = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OutboxId = table.Column<long>(type: "bigint", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: true),
                    EventType = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Raw = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Ack = table.Column<string>(type: "text", nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false)
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
