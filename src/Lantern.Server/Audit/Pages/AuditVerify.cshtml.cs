using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Audit.Pages;

/// <summary>Walks the whole hash chain on request and says whether the trail is intact or where it breaks.</summary>
[RequireActivity(Activity.ViewAudit)]
public sealed class AuditVerifyModel(AuditVerifier verifier, AuditTrail audit) : PageModel
{
    public AuditVerification? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancel)
    {
        Result = await verifier.VerifyAndRecordAsync(audit, cancel);
    }
}
