using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Lantern.Server.Platform.Identity;

/// <summary>The signed-in member of staff for this request: who they are and the role they act in.</summary>
public sealed class CurrentStaff(IHttpContextAccessor http, UserManager<StaffUser> users)
{
    private StaffUser? user;
    private bool? maySeeSensitive;

    /// <summary>Who <see cref="user"/> and <see cref="maySeeSensitive"/> were read for: a scope that acts for one sender after another (an HL7 batch) must not answer for the last one.</summary>
    private ClaimsPrincipal? readFor;

    public ClaimsPrincipal Principal => http.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsSignedIn => Principal.Identity?.IsAuthenticated == true;

    public string DisplayName => Principal.FindFirstValue(StaffClaimsFactory.DisplayNameClaim) ?? Principal.Identity?.Name ?? "";

    /// <summary>The role the person acts in. Staff hold one role at a time (NHS RBAC).</summary>
    public StaffRole? Role => RoleOf(Principal);

    public string? UserName => Principal.Identity?.IsAuthenticated == true ? Principal.Identity.Name : null;

    /// <summary>A registered system calling with an OAuth access token, not a person.</summary>
    public bool IsSystem => Principal.HasClaim(OpenIddict.Abstractions.OpenIddictConstants.Claims.Role, Security.OAuth.TokenEndpoint.SystemRole);

    /// <summary>The app (SMART client id) acting for this member of staff, when the call comes with an app's access token.</summary>
    public string? AppClientId => Principal.FindFirstValue(Security.OAuth.SmartAppLaunch.AppClaim);

    /// <summary>The patient an app was launched on (SMART EHR launch), when the call comes with such an app's token.</summary>
    public Guid? LaunchPatientId => Guid.TryParse(Principal.FindFirstValue(Security.OAuth.SmartAppLaunch.PatientClaim), out var id) ? id : null;

    /// <summary>
    /// The one patient this call may reach: set when the call is allowed only by the app's <c>patient/</c> scopes,
    /// and then every opening of another patient's record, and every patient search, finds nothing else.
    /// </summary>
    public Guid? ConfinedToPatient { get; private set; }

    /// <summary>
    /// Whether the app acting for this person may make the FHIR interaction: its user/ scopes cover it; or else its
    /// patient/ ones do and it was launched on a patient, and then the rest of this call is confined to that patient.
    /// </summary>
    public bool AppMay(string resourceType, Hl7.Fhir.Model.CapabilityStatement.TypeRestfulInteraction interaction)
    {
        var scopes = Principal.GetScopes();
        if (Security.OAuth.SmartScopes.Allow(scopes, resourceType, interaction, Security.OAuth.SmartScopes.User))
        {
            return true;
        }
        if (LaunchPatientId is not { } patient || !Security.OAuth.SmartScopes.Allow(scopes, resourceType, interaction, Security.OAuth.SmartScopes.Patient))
        {
            return false;
        }
        ConfinedToPatient = patient;
        return true;
    }

    public static StaffRole? RoleOf(ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => StaffRole.Find(c.Value)).FirstOrDefault(r => r is not null);

    public async Task<StaffUser?> GetUserAsync()
    {
        ForgetIfAnother();
        if (user is null && IsSignedIn)
        {
            // A system (an HL7 sender, an app's client credentials) has no account: nothing to read.
            user = users.GetUserId(Principal) is { } id
                ? await users.Users.Include(u => u.Wards).Include(u => u.Teams).AsSplitQuery().FirstOrDefaultAsync(u => u.Id == id)
                : null;
        }
        return user;
    }

    /// <summary>
    /// Whether this person may see sealed records: read from the database on every request (one column, not
    /// the whole account), so that withdrawing the permission takes effect at once, not at the next sign-in.
    /// </summary>
    public async Task<bool> MaySeeSensitiveRecordsAsync()
    {
        ForgetIfAnother();
        if (user is not null)
        {
            return user.MaySeeSensitiveRecords;
        }
        if (maySeeSensitive is null && IsSignedIn)
        {
            maySeeSensitive = users.GetUserId(Principal) is { } id
                && await users.Users.Where(u => u.Id == id).Select(u => u.MaySeeSensitiveRecords).FirstOrDefaultAsync();
        }
        return maySeeSensitive ?? false;
    }

    private void ForgetIfAnother()
    {
        if (!ReferenceEquals(readFor, Principal))
        {
            (user, maySeeSensitive, readFor) = (null, null, Principal);
        }
    }
}
