using Lantern.Server.Platform.Identity;
using Lantern.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lantern.Tests.Security;

/// <summary>Who is acting, as the server's checks see it.</summary>
public sealed class CurrentStaffTests
{
    [Fact]
    public async Task A_scope_that_acts_for_one_person_after_another_answers_for_the_one_acting_now()
    {
        // The HL7 inbox's applier acts for one sending system after another in one scope; the same must hold for people.
        await using var app = LanternApp.Sqlite();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var principals = services.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>();
        var accessor = services.GetRequiredService<IHttpContextAccessor>();
        // Set here, not in a helper awaited here: the accessor's value flows down a call, not back up out of an async one.
        void ActAs(System.Security.Claims.ClaimsPrincipal principal) => accessor.HttpContext = new DefaultHttpContext { RequestServices = services, User = principal };
        var staff = services.GetRequiredService<CurrentStaff>();

        ActAs(await principals.CreateAsync((await users.FindByNameAsync("doctor"))!)); // may see sealed records
        Assert.True(await staff.MaySeeSensitiveRecordsAsync());
        Assert.Equal("doctor", (await staff.GetUserAsync())!.UserName);
        ActAs(await principals.CreateAsync((await users.FindByNameAsync("nurse"))!)); // may not
        Assert.False(await staff.MaySeeSensitiveRecordsAsync());
        Assert.Equal("nurse", (await staff.GetUserAsync())!.UserName);
    }
}
