using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LabResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TestCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TestName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ObservationCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ObservationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CodingSystem = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SubId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ValueType = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false),
                    Units = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    ReferenceRange = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    AbnormalFlag = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    ObservedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SourceMessageId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Results_Patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "Patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Results_PatientId_ObservedAt",
                table: "Results",
                columns: new[] { "PatientId", "ObservedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Results_PatientId_OrderNumber_ObservationCode_SubId",
                table: "Results",
                columns: new[] { "PatientId", "OrderNumber", "ObservationCode", "SubId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Results");
        }
    }
}
