using Lantern.Server.Platform.Storage;

namespace Lantern.Tests.Unit;

public sealed class StorageProviderTests
{
    [Theory]
    [InlineData(null, StorageProvider.Sqlite)]
    [InlineData("", StorageProvider.Sqlite)]
    [InlineData("Sqlite", StorageProvider.Sqlite)]
    [InlineData("sqlite", StorageProvider.Sqlite)]
    [InlineData("Postgres", StorageProvider.Postgres)]
    [InlineData("PostgreSQL", StorageProvider.Postgres)]
    public void Provider_names_are_read_without_regard_to_case(string? value, StorageProvider expected) =>
        Assert.Equal(expected, StorageProviders.Parse(value));

    [Fact]
    public void Unknown_provider_is_refused_with_the_choices_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageProviders.Parse("Oracle"));
        Assert.Contains("'Sqlite' or 'Postgres'", error.Message, StringComparison.Ordinal);
    }
}
