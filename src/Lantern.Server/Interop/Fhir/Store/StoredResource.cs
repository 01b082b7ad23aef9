namespace Lantern.Server.Interop.Fhir.Store;

/// <summary>
/// The current version of a FHIR resource that Lantern keeps as FHIR (everything except Patient, which is the
/// master patient index). <see cref="PatientId"/> is the patient it is about, so that access checks, merges and
/// patient searches need no JSON; <see cref="Json"/> is the resource exactly as stored.
/// </summary>
public sealed class StoredResource
{
    public long Id { get; private set; }
    public string ResourceType { get; private set; }
    public string LogicalId { get; private set; }
    public int VersionId { get; private set; }
    public DateTime LastUpdated { get; private set; }
    public Guid? PatientId { get; private set; }
    public string Json { get; private set; }
    public List<SearchToken> Tokens { get; private set; } = [];
    public List<SearchDate> Dates { get; private set; } = [];

    public StoredResource(string resourceType, string logicalId, int versionId, DateTime lastUpdated, Guid? patientId, string json)
    {
        ResourceType = resourceType;
        LogicalId = logicalId;
        VersionId = versionId;
        LastUpdated = lastUpdated;
        PatientId = patientId;
        Json = json;
    }

    /// <summary>A new version replaces this one (its search index is rebuilt by the caller).</summary>
    public void Replace(int versionId, DateTime lastUpdated, Guid? patientId, string json)
    {
        VersionId = versionId;
        LastUpdated = lastUpdated;
        PatientId = patientId;
        Json = json;
        Tokens.Clear();
        Dates.Clear();
    }
}

/// <summary>Every version ever stored, for vread and history.</summary>
public sealed class StoredResourceVersion
{
    public long Id { get; private set; }
    public string ResourceType { get; private set; }
    public string LogicalId { get; private set; }
    public int VersionId { get; private set; }
    public DateTime LastUpdated { get; private set; }
    public string Method { get; private set; }
    public string Json { get; private set; }

    public StoredResourceVersion(string resourceType, string logicalId, int versionId, DateTime lastUpdated, string method, string json)
    {
        ResourceType = resourceType;
        LogicalId = logicalId;
        VersionId = versionId;
        LastUpdated = lastUpdated;
        Method = method;
        Json = json;
    }
}

/// <summary>A token search value of a resource: a code (with its system) for code, category and similar parameters.</summary>
public sealed class SearchToken
{
    public long Id { get; private set; }
    public long ResourceId { get; private set; }
    public string Param { get; private set; }
    public string? System { get; private set; }
    public string Code { get; private set; }

    public SearchToken(string param, string? system, string code)
    {
        Param = param;
        System = system;
        Code = code;
    }
}

/// <summary>A date search value of a resource, as the instant range it covers (a day covers 24 hours).</summary>
public sealed class SearchDate
{
    public long Id { get; private set; }
    public long ResourceId { get; private set; }
    public string Param { get; private set; }
    public DateTime Start { get; private set; }
    public DateTime End { get; private set; }

    public SearchDate(string param, DateTime start, DateTime end)
    {
        Param = param;
        Start = start;
        End = end;
    }
}
