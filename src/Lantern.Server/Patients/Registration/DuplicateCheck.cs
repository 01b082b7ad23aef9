using Lantern.Server.Patients.Search;
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
public sealed class DuplicateCheck(PatientAccess access)
{
    public const int ShowScore = 50;
    public const int LikelyScore = 75;

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(Demographics d, Guid? exceptPatient = null, CancellationToken cancel = default)
    {
        var nhs = d.NhsNumber;
        var sound = NameKeys.Soundex(d.FamilyName);
        var postcode = d.Postcode;
        var patients = (await access.VisiblePatientsAsync()).Where(p => p.MergedIntoId == null && p.Id != exceptPatient);
        // Three lookups, each on its own index, rather than one OR that a planner may turn into a table scan.
        var candidates = await SummariesAsync(patients.Where(p => p.BirthDate == d.BirthDate), cancel);
        if (nhs is not null)
        {
            candidates.AddRange(await SummariesAsync(patients.Where(p => p.NhsNumber == nhs), cancel));
        }
        if (postcode is not null)
        {
            candidates.AddRange(await SummariesAsync(patients.Where(p => p.Postcode == postcode && p.FamilyNameSound == sound), cancel));
        }
        return [.. candidates.DistinctBy(c => c.Id).Select(c => Score(d, c)).Where(c => c.Score >= ShowScore).OrderByDescending(c => c.Score).Take(10)];
    }

    private static Task<List<PatientSummary>> SummariesAsync(IQueryable<Patient> patients, CancellationToken cancel) =>
        patients.OrderBy(p => p.Id).Take(200)
            .Select(p => new PatientSummary(p.Id, p.FamilyName, p.GivenName, p.Title, p.BirthDate, p.Gender, p.NhsNumber, p.Mrn,
                p.Postcode, p.DateOfDeath, p.IsSensitive, p.FamilyNameKey, p.GivenNameKey))
            .ToListAsync(cancel);

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
