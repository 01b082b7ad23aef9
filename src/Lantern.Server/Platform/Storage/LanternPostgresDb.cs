using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lantern.Server.Platform.Storage;

/// <summary>LanternDb on PostgreSQL: its own migrations live in Platform/Storage/Migrations/Postgres.</summary>
public sealed class LanternPostgresDb(DbContextOptions<LanternPostgresDb> options) : LanternDb(options);

/// <summary>Used only by `dotnet ef migrations add --context LanternPostgresDb` (no server is contacted).</summary>
public sealed class LanternPostgresDesignFactory : IDesignTimeDbContextFactory<LanternPostgresDb>
{
    public LanternPostgresDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LanternPostgresDb>().UseNpgsql("Host=localhost;Database=lantern_design").Options);
}
