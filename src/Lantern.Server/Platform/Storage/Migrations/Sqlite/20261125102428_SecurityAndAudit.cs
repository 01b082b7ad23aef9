using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecurityAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "MaySeeSensitiveRecords",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "AuditTrail",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditTrail", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "Patients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    NhsNumber = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Mrn = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FamilyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GivenName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Gender = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsSensitive = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Patients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BreakGlassAccesses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Explanation = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    GrantedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewOutcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ReviewNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BreakGlassAccesses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BreakGlassAccesses_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Spells",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WardId = table.Column<int>(type: "INTEGER", nullable: false),
                    BedId = table.Column<int>(type: "INTEGER", nullable: true),
                    ResponsibleTeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    AdmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DischargedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Spells", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Spells_Beds_BedId",
                        column: x => x.BedId,
                        principalTable: "Beds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Spells_ClinicalTeams_ResponsibleTeamId",
                        column: x => x.ResponsibleTeamId,
                        principalTable: "ClinicalTeams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Spells_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Spells_Wards_WardId",
                        column: x => x.WardId,
                        principalTable: "Wards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_AtUnixMs",
                table: "AuditTrail",
                column: "AtUnixMs");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_PatientId",
                table: "AuditTrail",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditTrail_UserName",
                table: "AuditTrail",
                column: "UserName");

            migrationBuilder.CreateIndex(
                name: "IX_BreakGlassAccesses_PatientId_UserName_ExpiresAt",
                table: "BreakGlassAccesses",
                columns: new[] { "PatientId", "UserName", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BreakGlassAccesses_ReviewedAt",
                table: "BreakGlassAccesses",
                column: "ReviewedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_FamilyName_GivenName",
                table: "Patients",
                columns: new[] { "FamilyName", "GivenName" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_Mrn",
                table: "Patients",
                column: "Mrn",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients",
                column: "NhsNumber");

            migrationBuilder.CreateIndex(
                name: "IX_Spells_BedId",
                table: "Spells",
                column: "BedId");

            migrationBuilder.CreateIndex(
                name: "IX_Spells_PatientId_DischargedAt",
                table: "Spells",
                columns: new[] { "PatientId", "DischargedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Spells_ResponsibleTeamId",
                table: "Spells",
                column: "ResponsibleTeamId");

            migrationBuilder.CreateIndex(
                name: "IX_Spells_WardId_DischargedAt",
                table: "Spells",
                columns: new[] { "WardId", "DischargedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditTrail");

            migrationBuilder.DropTable(
                name: "BreakGlassAccesses");

            migrationBuilder.DropTable(
                name: "Spells");

            migrationBuilder.DropTable(
                name: "Patients");

            migrationBuilder.DropColumn(
                name: "MaySeeSensitiveRecords",
                table: "AspNetUsers");
        }
    }
}
