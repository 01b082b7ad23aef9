using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SendingApplication = table.Column<string>(type: "character varying(180)", maxLength: 180, nullable: false),
                    SendingFacility = table.Column<string>(type: "character varying(180)", maxLength: 180, nullable: false),
                    ControlId = table.Column<string>(type: "character varying(199)", maxLength: 199, nullable: true),
                    MessageType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Raw = table.Column<string>(type: "text", nullable: false),
                    Peer = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: true),
                    Resends = table.Column<int>(type: "integer", nullable: false),
                    LastReplayedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                name: "IX_Hl7InboundMessages_SendingApplication_SendingFacility_Contr~",
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
