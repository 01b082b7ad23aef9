using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lantern.Server.Platform.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Hl7ErrorCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ErrorCode",
                table: "Hl7InboundMessages",
                type: "TEXT",
                maxLength: 8,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ErrorCode",
                table: "Hl7InboundMessages");
        }
    }
}
