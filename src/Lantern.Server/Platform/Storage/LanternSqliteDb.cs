using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lantern.Server.Platform.Storage;

/// <summary>LanternDb on SQLite: its own migrations live in Platform/Storage/Migrations/Sqlite.</summary>
public sealed class LanternSqliteDb(DbContextOptions<LanternSqliteDb> options) : LanternDb(options);

/// <summary>Used only by `dotnet ef migrations add --context LanternSqliteDb`.</summary>
public sealed class LanternSqliteDesignFactory : IDesignTimeDbContextFactory<LanternSqliteDb>
{
    public LanternSqliteDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LanternSqliteDb>().UseSqlite("Data Source=design-time.db").Options);
}
