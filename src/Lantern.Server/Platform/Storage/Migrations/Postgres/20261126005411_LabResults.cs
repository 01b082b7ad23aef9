using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TestCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TestName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ObservationCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ObservationName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CodingSystem = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SubId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ValueType = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: false),
                    Units = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    ReferenceRange = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    AbnormalFlag = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    Status = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    ObservedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SourceMessageId = table.Column<long>(type: "bigint", nullable: false)
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
