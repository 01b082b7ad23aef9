using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MasterPatientIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Patients_FamilyName_GivenName",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients");

            migrationBuilder.AlterColumn<string>(
                name: "Mrn",
                table: "Patients",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AddColumn<string>(
                name: "AddressLine1",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AddressLine2",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "DateOfDeath",
                table: "Patients",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Email",
                table: "Patients",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EthnicCategory",
                table: "Patients",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FamilyNameKey",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "FamilyNameSound",
                table: "Patients",
                type: "character varying(4)",
                maxLength: 4,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "GivenNameKey",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "GpPracticeCode",
                table: "Patients",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "InterpreterRequired",
                table: "Patients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "Patients",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NextOfKinName",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NextOfKinPhone",
                table: "Patients",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NextOfKinRelationship",
                table: "Patients",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NhsNumberStatus",
                table: "Patients",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OtherGivenNames",
                table: "Patients",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "Patients",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Postcode",
                table: "Patients",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "PreferredLanguage",
                table: "Patients",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousNames",
                table: "Patients",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RegisteredAt",
                table: "Patients",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "Sex",
                table: "Patients",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Town",
                table: "Patients",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Patients",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "HospitalNumberCounters",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Next = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HospitalNumberCounters", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PatientMerges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurvivorId = table.Column<Guid>(type: "uuid", nullable: false),
                    RetiredId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    MergedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MergedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UnmergedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UnmergedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UnmergeReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatientMerges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PatientMergeMove",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MergeId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RecordKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PatientMergeMove", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PatientMergeMove_PatientMerges_MergeId",
                        column: x => x.MergeId,
                        principalTable: "PatientMerges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "HospitalNumberCounters",
                columns: new[] { "Id", "Next" },
                values: new object[] { 1, 500000L });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_BirthDate_FamilyNameKey",
                table: "Patients",
                columns: new[] { "BirthDate", "FamilyNameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_FamilyNameKey_GivenNameKey_BirthDate",
                table: "Patients",
                columns: new[] { "FamilyNameKey", "GivenNameKey", "BirthDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_FamilyNameSound_FamilyNameKey_GivenNameKey_BirthDa~",
                table: "Patients",
                columns: new[] { "FamilyNameSound", "FamilyNameKey", "GivenNameKey", "BirthDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_GivenNameKey_FamilyNameKey",
                table: "Patients",
                columns: new[] { "GivenNameKey", "FamilyNameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_MergedIntoId",
                table: "Patients",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients",
                column: "NhsNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Patients_Postcode_FamilyNameKey",
                table: "Patients",
                columns: new[] { "Postcode", "FamilyNameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_PatientMergeMove_MergeId",
                table: "PatientMergeMove",
                column: "MergeId");

            migrationBuilder.CreateIndex(
                name: "IX_PatientMerges_RetiredId",
                table: "PatientMerges",
                column: "RetiredId");

            migrationBuilder.CreateIndex(
                name: "IX_PatientMerges_SurvivorId",
                table: "PatientMerges",
                column: "SurvivorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HospitalNumberCounters");

            migrationBuilder.DropTable(
                name: "PatientMergeMove");

            migrationBuilder.DropTable(
                name: "PatientMerges");

            migrationBuilder.DropIndex(
                name: "IX_Patients_BirthDate_FamilyNameKey",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_FamilyNameKey_GivenNameKey_BirthDate",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_FamilyNameSound_FamilyNameKey_GivenNameKey_BirthDa~",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_GivenNameKey_FamilyNameKey",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_MergedIntoId",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients");

            migrationBuilder.DropIndex(
                name: "IX_Patients_Postcode_FamilyNameKey",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "AddressLine1",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "AddressLine2",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "DateOfDeath",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "EthnicCategory",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "FamilyNameKey",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "FamilyNameSound",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "GivenNameKey",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "GpPracticeCode",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "InterpreterRequired",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "NextOfKinName",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "NextOfKinPhone",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "NextOfKinRelationship",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "NhsNumberStatus",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "OtherGivenNames",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Postcode",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "PreferredLanguage",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "PreviousNames",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "RegisteredAt",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Sex",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Town",
                table: "Patients");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Patients");

            migrationBuilder.AlterColumn<string>(
                name: "Mrn",
                table: "Patients",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20,
                oldCollation: "C");

            migrationBuilder.CreateIndex(
                name: "IX_Patients_FamilyName_GivenName",
                table: "Patients",
                columns: new[] { "FamilyName", "GivenName" });

            migrationBuilder.CreateIndex(
                name: "IX_Patients_NhsNumber",
                table: "Patients",
                column: "NhsNumber");
        }
    }
}
