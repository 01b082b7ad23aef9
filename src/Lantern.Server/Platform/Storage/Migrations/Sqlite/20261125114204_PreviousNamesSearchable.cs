using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PreviousNamesSearchable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviousNames",
                table: "Patients");

            migrationBuilder.CreateTable(
                name: "PatientPreviousNames",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FamilyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GivenName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Until = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FamilyNameKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FamilyNameSound = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatientPreviousNames", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PatientPreviousNames_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PatientPreviousNames_FamilyNameKey",
                table: "PatientPreviousNames",
                column: "FamilyNameKey");

            migrationBuilder.CreateIndex(
                name: "IX_PatientPreviousNames_FamilyNameSound",
                table: "PatientPreviousNames",
                column: "FamilyNameSound");

            migrationBuilder.CreateIndex(
                name: "IX_PatientPreviousNames_PatientId",
                table: "PatientPreviousNames",
                column: "PatientId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PatientPreviousNames");

            migrationBuilder.AddColumn<string>(
                name: "PreviousNames",
                table: "Patients",
                type: "TEXT",
                nullable: true);
        }
    }
}
