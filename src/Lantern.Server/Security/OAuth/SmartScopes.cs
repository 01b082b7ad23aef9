using Hl7.Fhir.Model;

namespace Lantern.Server.Security.OAuth;

/// <summary>
/// SMART on FHIR scopes: v2 <c>system/Patient.rs</c> (c create, r read, u update, d delete, s search),
/// <c>system/*.cruds</c>, and the v1 forms <c>system/Patient.read</c>, <c>.write</c> and <c>.*</c>; the same for
/// <c>user/</c> scopes, which an app launched by a member of staff holds (and which never widen what the
/// person's role and care relationships allow), and <c>patient/</c> scopes, which an app launched from a
/// patient's record holds and which reach that patient's records only.
/// </summary>
public static class SmartScopes
{
    /// <summary>Scopes of a backend system acting for itself.</summary>
    public const string System = "system";

    /// <summary>Scopes of an app acting for the signed-in member of staff.</summary>
    public const string User = "user";

    /// <summary>Scopes of an app launched from one patient's record, confined to that patient.</summary>
    public const string Patient = "patient";

    /// <summary>Asks for the launch context (the patient whose record the app was opened from).</summary>
    public const string Launch = "launch";

    /// <summary>Asks for a patient chosen at authorisation (standalone launch): the person picks one in Lantern first.</summary>
    public const string LaunchPatient = "launch/patient";

    /// <summary>Asks for a refresh token that works only while the member of staff stays signed in.</summary>
    public const string OnlineAccess = "online_access";

    /// <summary>Whether an app acting for staff may ask for this scope: user/ and patient/ scopes, the launch contexts, online access, and identity.</summary>
    public static bool IsAppScope(string scope) =>
        IsWellFormed(scope, User) || IsWellFormed(scope, Patient) || scope is Launch or LaunchPatient or OnlineAccess or "openid" or "fhirUser";

    public static bool Allow(IEnumerable<string> scopes, string resourceType, CapabilityStatement.TypeRestfulInteraction interaction, string context = System)
    {
        var needed = interaction switch
        {
            CapabilityStatement.TypeRestfulInteraction.Create => 'c',
            CapabilityStatement.TypeRestfulInteraction.Update or CapabilityStatement.TypeRestfulInteraction.Patch => 'u',
            CapabilityStatement.TypeRestfulInteraction.Delete => 'd',
            CapabilityStatement.TypeRestfulInteraction.SearchType => 's',
            _ => 'r',
        };
        return scopes.Any(scope => Grants(scope, $"{context}/", resourceType, needed));
    }

    /// <summary>Whether <paramref name="scope"/> is a well-formed scope of the context (a type or *, then permissions).</summary>
    public static bool IsWellFormed(string scope, string context = System)
    {
        var prefix = $"{context}/";
        var dot = scope.IndexOf('.', StringComparison.Ordinal);
        if (!scope.StartsWith(prefix, StringComparison.Ordinal) || dot < prefix.Length + 1)
        {
            return false;
        }
        var type = scope[prefix.Length..dot];
        var permissions = scope[(dot + 1)..];
        return (type == "*" || (char.IsAsciiLetterUpper(type[0]) && type.All(char.IsAsciiLetter)))
            && (permissions is "*" or "read" or "write" || (permissions.Length is > 0 and <= 5 && permissions.All("cruds".Contains)));
    }

    private static bool Grants(string scope, string prefix, string resourceType, char needed)
    {
        if (!scope.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var dot = scope.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return false;
        }
        var type = scope[prefix.Length..dot];
        var permissions = scope[(dot + 1)..];
        if (type != "*" && type != resourceType)
        {
            return false;
        }
        return permissions switch
        {
            "*" => true,
            "read" => needed is 'r' or 's',
            "write" => needed is 'c' or 'u' or 'd',
            _ => permissions.Length <= 5 && permissions.All("cruds".Contains) && permissions.Contains(needed),
        };
    }
}
