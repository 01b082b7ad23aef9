namespace Lantern.Server.Patients;

/// <summary>
/// NHS number verification status (UK Core code system UKCore-NHSNumberVerificationStatusEngland).
/// The numeric value is the two-digit code.
/// </summary>
public enum NhsNumberStatus
{
    Verified = 1,
    NotTraced = 2,
    TraceRequired = 3,
    TraceNoMatch = 4,
    TraceNeedsResolution = 5,
    TraceInProgress = 6,
    NotPresentTraceNotRequired = 7,
    TracePostponed = 8,
}

public static class NhsNumberStatuses
{
    public static string Code(this NhsNumberStatus status) => ((int)status).ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    public static string Display(this NhsNumberStatus status) => status switch
    {
        NhsNumberStatus.Verified => "Number present and verified",
        NhsNumberStatus.NotTraced => "Number present but not traced",
        NhsNumberStatus.TraceRequired => "Trace required",
        NhsNumberStatus.TraceNoMatch => "Trace attempted - no match or multiple match found",
        NhsNumberStatus.TraceNeedsResolution => "Trace needs to be resolved (NHS number or patient detail conflict)",
        NhsNumberStatus.TraceInProgress => "Trace in progress",
        NhsNumberStatus.NotPresentTraceNotRequired => "Number not present and trace not required",
        NhsNumberStatus.TracePostponed => "Trace postponed (baby under six weeks old)",
        _ => status.ToString(),
    };

    /// <summary>"01" … "08"; null for anything else.</summary>
    public static NhsNumberStatus? FromCode(string? code) =>
        code is { Length: 2 } && int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && Enum.IsDefined((NhsNumberStatus)n) ? (NhsNumberStatus)n : null;

    /// <summary>Statuses 01 and 02 say a number is present; 07 and 08 say there is none.</summary>
    public static bool NeedsNumber(this NhsNumberStatus status) => status is NhsNumberStatus.Verified or NhsNumberStatus.NotTraced;

    public static bool ForbidsNumber(this NhsNumberStatus status) => status is NhsNumberStatus.NotPresentTraceNotRequired or NhsNumberStatus.TracePostponed;
}
