using Lantern.Server.Account;

namespace Lantern.Tests.Unit;

public sealed class SignInRulesTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/trust", "/trust")]
    [InlineData("/trust/wards/W07?x=1", "/trust/wards/W07?x=1")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("trust", "/")]
    public void Return_addresses_stay_on_this_site(string? requested, string expected) =>
        Assert.Equal(expected, LoginModel.SafeReturnUrl(requested));

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("123 456", "123456")]
    [InlineData(" 123-456 ", "123456")]
    [InlineData("12345", null)]
    [InlineData("1234567", null)]
    [InlineData("12a456", null)]
    [InlineData("١٢٣٤٥٦", null)]
    [InlineData(null, null)]
    public void Security_codes_are_six_ascii_digits_with_spacing_ignored(string? typed, string? expected) =>
        Assert.Equal(expected, TotpCode.Normalise(typed));
}
