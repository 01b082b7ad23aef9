using Lantern.Server.Patients.Search;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Registration;

/// <summary>An existing patient who may be the person being registered, with how alike they are (0–100).</summary>
public sealed record DuplicateCandidate(PatientSummary Patient, int Score, IReadOnlyList<string> Matches)
{
    public bool Likely => Score >= DuplicateCheck.LikelyScore;
}

/// <summary>
/// Finds registrations that may be the same person, before a new one is saved: the commonest data-quality
/// fault in a PAS is two records for one patient, which splits their history. Candidates come from indexed
/// lookups (same NHS number, same date of birth, or same postcode and sound-alike family name) and are
/// scored on NHS number, names, date of birth, postcode and gender.
/// </summary>
public sealed class DuplicateCheck(LanternDb db, PatientAccess access)
{
    public const int ShowScore = 50;
    public const int LikelyScore = 75;

    /// <summary>At most this many candidates from each look-up (a date of birth shared by very many records, such as a default, would flood the list).</summary>
    private const int PerLookup = 200;

    // Every registration runs it (an HL7 feed's A28 thousands a minute): compiled, one statement. Three look-ups, each
    // on its own index, rather than one OR that a planner may turn into a table scan; a look-up with no value (no NHS
    // number, no postcode) is left out of the SQL. Each applies the caller's PatientVisibility.
    private static readonly PerModel<Func<LanternDb, DateOnly, string?, string?, string, Guid?, bool, Guid?, IAsyncEnumerable<PatientSummary>>> Candidates =
        new(() => EF.CompileAsyncQuery((LanternDb db, DateOnly born, string? nhs, string? postcode, string sound, Guid? except, bool sensitive, Guid? only) =>
            db.Patients.Where(p => p.BirthDate == born
                    && p.MergedIntoId == null && p.Id != except && (sensitive || !p.IsSensitive) && (only == null || p.Id == only))
                .OrderBy(p => p.Id).Take(PerLookup)
            .Concat(db.Patients.Where(p => nhs != null && p.NhsNumber == nhs
                    && p.MergedIntoId == null && p.Id != except && (sensitive || !p.IsSensitive) && (only == null || p.Id == only))
                .OrderBy(p => p.Id).Take(PerLookup))
            .Concat(db.Patients.Where(p => postcode != null && p.Postcode == postcode && p.FamilyNameSound == sound
                    && p.MergedIntoId == null && p.Id != except && (sensitive || !p.IsSensitive) && (only == null || p.Id == only))
                .OrderBy(p => p.Id).Take(PerLookup))
            .Select(p => new PatientSummary(p.Id, p.FamilyName, p.GivenName, p.Title, p.BirthDate, p.Gender, p.NhsNumber, p.Mrn,
                p.Postcode, p.DateOfDeath, p.IsSensitive, p.FamilyNameKey, p.GivenNameKey))));

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(Demographics d, Guid? exceptPatient = null, CancellationToken cancel = default)
    {
        var (sensitive, only) = await access.VisibilityAsync();
        var candidates = new List<PatientSummary>();
        await foreach (var candidate in Candidates.For(db)(db, d.BirthDate, d.NhsNumber, d.Postcode, NameKeys.Soundex(d.FamilyName), exceptPatient, sensitive, only)
            .WithCancellation(cancel))
        {
            candidates.Add(candidate);
        }
        return [.. candidates.DistinctBy(c => c.Id).Select(c => Score(d, c)).Where(c => c.Score >= ShowScore).OrderByDescending(c => c.Score).Take(10)];
    }

    public static DuplicateCandidate Score(Demographics d, PatientSummary p)
    {
        var matches = new List<string>();
        var score = 0;
        void Match(int points, string what)
        {
            score += points;
            matches.Add(what);
        }
        if (d.NhsNumber is not null && d.NhsNumber == p.NhsNumber)
        {
            return new(p, 100, ["NHS number"]);
        }
        if (d.NhsNumber is not null && p.NhsNumber is not null)
        {
            score -= 30; // both have numbers and they differ: probably different people
        }
        if (d.BirthDate == p.BirthDate)
        {
            Match(35, "date of birth");
        }
        else if (d.BirthDate.Year == p.BirthDate.Year && (d.BirthDate.Month == p.BirthDate.Month || d.BirthDate.Day == p.BirthDate.Day
            || (d.BirthDate.Month == p.BirthDate.Day && d.BirthDate.Day == p.BirthDate.Month)))
        {
            Match(15, "date of birth nearly");
        }
        var family = NameKeys.Key(d.FamilyName);
        if (family == p.FamilyNameKey)
        {
            Match(25, "family name");
        }
        else if (NameKeys.Soundex(d.FamilyName) == NameKeys.Soundex(p.FamilyName))
        {
            Match(18, "family name sounds alike");
        }
        var given = NameKeys.Key(d.GivenName);
        if (given == p.GivenNameKey)
        {
            Match(20, "given name");
        }
        else if (given.Length > 0 && p.GivenNameKey.Length > 0 && (given.StartsWith(p.GivenNameKey, StringComparison.Ordinal)
            || p.GivenNameKey.StartsWith(given, StringComparison.Ordinal) || NameKeys.Soundex(given) == NameKeys.Soundex(p.GivenNameKey)))
        {
            Match(12, "given name similar");
        }
        if (d.Postcode is not null && d.Postcode == p.Postcode)
        {
            Match(15, "postcode");
        }
        if (d.Gender != p.Gender && d.Gender != Gender.Unknown && p.Gender != Gender.Unknown)
        {
            score -= 10;
        }
        return new(p, Math.Clamp(score, 0, 99), matches);
    }
}
