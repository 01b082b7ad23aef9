namespace Lantern.Server.Audit;

/// <summary>What was done. Stored by name, so new actions can be added without renumbering.</summary>
public enum AuditAction
{
    Read,
    Search,
    Create,
    Update,
    Merge,
    Unmerge,
    Print,
    Export,
    SignIn,
    SignInFailed,
    SignOut,
    BreakGlass,
    BreakGlassReview,
    PermissionChange,
    VerifyAudit,
}

/// <summary>How it ended: done, refused by access control, or failed.</summary>
public enum AuditOutcome
{
    Success,
    Denied,
    Failed,
}
