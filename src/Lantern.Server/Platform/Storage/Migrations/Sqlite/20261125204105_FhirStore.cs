using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FhirStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FhirResourceHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LogicalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUpdated = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FhirResourceHistory", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FhirResources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LogicalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUpdated = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FhirResources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FhirSearchDates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Param = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Start = table.Column<DateTime>(type: "TEXT", nullable: false),
                    End = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FhirSearchDates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FhirSearchDates_FhirResources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "FhirResources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FhirSearchTokens",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResourceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Param = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    System = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FhirSearchTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FhirSearchTokens_FhirResources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "FhirResources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FhirResourceHistory_ResourceType_LogicalId_VersionId",
                table: "FhirResourceHistory",
                columns: new[] { "ResourceType", "LogicalId", "VersionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FhirResources_PatientId_ResourceType",
                table: "FhirResources",
                columns: new[] { "PatientId", "ResourceType" });

            migrationBuilder.CreateIndex(
                name: "IX_FhirResources_ResourceType_LogicalId",
                table: "FhirResources",
                columns: new[] { "ResourceType", "LogicalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FhirSearchDates_Param_Start_ResourceId",
                table: "FhirSearchDates",
                columns: new[] { "Param", "Start", "ResourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_FhirSearchDates_ResourceId",
                table: "FhirSearchDates",
                column: "ResourceId");

            migrationBuilder.CreateIndex(
                name: "IX_FhirSearchTokens_Param_Code_ResourceId",
                table: "FhirSearchTokens",
                columns: new[] { "Param", "Code", "ResourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_FhirSearchTokens_ResourceId",
                table: "FhirSearchTokens",
                column: "ResourceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FhirResourceHistory");

            migrationBuilder.DropTable(
                name: "FhirSearchDates");

            migrationBuilder.DropTable(
                name: "FhirSearchTokens");

            migrationBuilder.DropTable(
                name: "FhirResources");
        }
    }
}
