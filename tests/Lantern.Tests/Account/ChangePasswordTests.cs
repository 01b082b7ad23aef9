using System.Net;
using Lantern.Server.Demo;
using Lantern.Tests.Support;

namespace Lantern.Tests.Account;

public sealed class ChangePasswordTests
{
    [Fact]
    public async Task New_password_replaces_the_old_one()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");
        const string newPassword = "correct horse battery staple";

        var change = await clerk.PostFormAsync("/account/password", new()
        {
            ["CurrentPassword"] = DemoAccounts.Password, ["NewPassword"] = newPassword, ["ConfirmPassword"] = newPassword,
        });
        Assert.Equal("/account", change.Headers.Location?.OriginalString);

        using var withOld = new StaffBrowser(app.NewBrowserlessClient());
        Assert.Equal(HttpStatusCode.OK, (await withOld.SignInAsync("clerk", DemoAccounts.Password)).StatusCode);
        using var withNew = await StaffBrowser.SignedInAsync(app, "clerk", newPassword);
    }

    [Fact]
    public async Task Short_wrong_or_mismatched_passwords_are_refused_with_field_errors()
    {
        await using var app = LanternApp.Sqlite();
        using var clerk = await StaffBrowser.SignedInAsync(app, "clerk");

        var mismatch = await clerk.PostFormAsync("/account/password", new()
        {
            ["CurrentPassword"] = DemoAccounts.Password, ["NewPassword"] = "a long new password", ["ConfirmPassword"] = "different",
        });
        Assert.Equal([("ConfirmPassword", "The new passwords do not match")], StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(mismatch)));

        var tooShort = await clerk.PostFormAsync("/account/password", new()
        {
            ["CurrentPassword"] = DemoAccounts.Password, ["NewPassword"] = "short", ["ConfirmPassword"] = "short",
        });
        Assert.Contains(StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(tooShort)), e => e.Field == "NewPassword");

        var wrongCurrent = await clerk.PostFormAsync("/account/password", new()
        {
            ["CurrentPassword"] = "not my password", ["NewPassword"] = "a long new password", ["ConfirmPassword"] = "a long new password",
        });
        Assert.Equal([("CurrentPassword", "Your current password is not correct")], StaffBrowser.ErrorSummary(await StaffBrowser.ParseAsync(wrongCurrent)));
    }
}
