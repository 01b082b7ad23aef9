using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InpatientAdt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AdmissionMethod",
                table: "Spells",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AdmissionSource",
                table: "Spells",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "CancelledAt",
                table: "Spells",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DischargeDestination",
                table: "Spells",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DischargeMethod",
                table: "Spells",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpectedDischargeDate",
                table: "Spells",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Spells",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ConsultantEpisode",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SpellId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsultantEpisode", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsultantEpisode_ClinicalTeams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "ClinicalTeams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsultantEpisode_Spells_SpellId",
                        column: x => x.SpellId,
                        principalTable: "Spells",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Outbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    DispatchedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpellEvent",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SpellId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FromBedId = table.Column<int>(type: "INTEGER", nullable: true),
                    FromBedStatusBefore = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ToBedId = table.Column<int>(type: "INTEGER", nullable: true),
                    ToBedStatusBefore = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    UndoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UndoneBy = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpellEvent", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpellEvent_Spells_SpellId",
                        column: x => x.SpellId,
                        principalTable: "Spells",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WardStay",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SpellId = table.Column<int>(type: "INTEGER", nullable: false),
                    WardId = table.Column<int>(type: "INTEGER", nullable: false),
                    BedId = table.Column<int>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WardStay", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WardStay_Beds_BedId",
                        column: x => x.BedId,
                        principalTable: "Beds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_WardStay_Spells_SpellId",
                        column: x => x.SpellId,
                        principalTable: "Spells",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WardStay_Wards_WardId",
                        column: x => x.WardId,
                        principalTable: "Wards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Spells_OneCurrentPerPatient",
                table: "Spells",
                column: "PatientId",
                unique: true,
                filter: "\"DischargedAt\" IS NULL AND \"CancelledAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ConsultantEpisode_SpellId",
                table: "ConsultantEpisode",
                column: "SpellId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsultantEpisode_TeamId",
                table: "ConsultantEpisode",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_DispatchedAt",
                table: "Outbox",
                column: "DispatchedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SpellEvent_SpellId",
                table: "SpellEvent",
                column: "SpellId");

            migrationBuilder.CreateIndex(
                name: "IX_WardStay_BedId",
                table: "WardStay",
                column: "BedId");

            migrationBuilder.CreateIndex(
                name: "IX_WardStay_SpellId",
                table: "WardStay",
                column: "SpellId");

            migrationBuilder.CreateIndex(
                name: "IX_WardStay_WardId",
                table: "WardStay",
                column: "WardId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsultantEpisode");

            migrationBuilder.DropTable(
                name: "Outbox");

            migrationBuilder.DropTable(
                name: "SpellEvent");

            migrationBuilder.DropTable(
                name: "WardStay");

            migrationBuilder.DropIndex(
                name: "IX_Spells_OneCurrentPerPatient",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "AdmissionMethod",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "AdmissionSource",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "DischargeDestination",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "DischargeMethod",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "ExpectedDischargeDate",
                table: "Spells");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Spells");
        }
    }
}
