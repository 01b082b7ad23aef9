namespace Lantern.Server.Security.BreakGlass;

/// <summary>The reasons a member of staff may give for breaking the glass; free text is required as well.</summary>
public enum BreakGlassReason
{
    EmergencyCare,
    CareNotYetRecorded,
    CoveringColleague,
    SafeguardingConcern,
    ClinicalQuery,
}

public static class BreakGlassReasons
{
    public static string Describe(BreakGlassReason reason) => reason switch
    {
        BreakGlassReason.EmergencyCare => "Emergency care: the patient needs treatment now",
        BreakGlassReason.CareNotYetRecorded => "The patient is in my care but this is not yet recorded (transfer, new admission)",
        BreakGlassReason.CoveringColleague => "Covering for a colleague (on call, handover)",
        BreakGlassReason.SafeguardingConcern => "Safeguarding concern",
        BreakGlassReason.ClinicalQuery => "Clinical query from another care provider about this patient",
        _ => reason.ToString(),
    };
}

/// <summary>How the IG officer judged a break-glass access.</summary>
public enum BreakGlassReviewOutcome
{
    Appropriate,
    Inappropriate,
    FollowUpNeeded,
}
