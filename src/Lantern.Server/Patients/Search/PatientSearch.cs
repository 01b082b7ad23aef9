using Lantern.Server.Audit;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Search;

// string.Compare in these queries runs as SQL < and >= on the key columns, which compare ordinally
// (SQLite BINARY; PostgreSQL collation "C", set in LanternPostgresDb), not as .NET culture comparison.
#pragma warning disable CA1309, CA1310

/// <summary>One row of search results: the banner fields.</summary>
public sealed record PatientSummary(Guid Id, string FamilyName, string GivenName, string? Title, DateOnly BirthDate, Gender Gender,
    string? NhsNumber, string Mrn, string? Postcode, DateOnly? DateOfDeath, bool IsSensitive, string FamilyNameKey, string GivenNameKey);

public sealed record PatientSearchPage(IReadOnlyList<PatientSummary> Patients, int Page, int PageSize, bool HasMore);

/// <summary>
/// The master patient index search. Results come in name order (family, given, date of birth, MRN) from
/// indexes that are already in that order, so a page costs the same with ten matches or a hundred thousand
/// (other orders, <see cref="PatientOrder"/>, may sort the matches first).
/// A family name matches by prefix OR by sound, current or previous: these are run as separate ordered,
/// limited queries and merged, rather than one OR that would make the database sort every match. Merged-away records are left
/// out; sensitive ones too unless the searcher may see them. Every search is audited.
/// </summary>
public sealed class PatientSearch(PatientAccess access, AuditTrail audit)
{
    public async Task<PatientSearchPage> SearchAsync(ParsedSearch search, CancellationToken cancel = default)
    {
        var patients = (await access.VisiblePatientsAsync()).Where(p => p.MergedIntoId == null);
        if (search.NhsNumber is { } nhs)
        {
            patients = patients.Where(p => p.NhsNumber == nhs);
        }
        if (search.Mrn is { } mrn)
        {
            patients = patients.Where(p => p.Mrn == mrn);
        }
        if (search.GivenKey is { } given)
        {
            var givenEnd = NameKeys.PrefixUpperBound(given);
            patients = patients.Where(p => string.Compare(p.GivenNameKey, given) >= 0 && string.Compare(p.GivenNameKey, givenEnd) < 0);
        }
        if (search.BornFrom is { } from0)
        {
            patients = patients.Where(p => p.BirthDate >= from0);
        }
        if (search.BornTo is { } to0)
        {
            patients = patients.Where(p => p.BirthDate <= to0);
        }
        if (search.BirthDate is { } born)
        {
            patients = patients.Where(p => p.BirthDate == born);
        }
        else if (search.BirthYear is { } year)
        {
            DateOnly from = new(year, 1, 1), to = new(year + 1, 1, 1);
            patients = patients.Where(p => p.BirthDate >= from && p.BirthDate < to);
        }
        if (search.Postcode is { } postcode)
        {
            if (search.PostcodeIsDistrict)
            {
                // "SW1A" matches "SW1A 1AA" but not "SW1 1AA": the stored form always has the space.
                string from = postcode + " ", to = postcode + "!";
                patients = patients.Where(p => string.Compare(p.Postcode, from) >= 0 && string.Compare(p.Postcode, to) < 0);
            }
            else
            {
                patients = patients.Where(p => p.Postcode == postcode);
            }
        }
        if (search.Gender is { } gender)
        {
            patients = patients.Where(p => p.Gender == gender);
        }

        var wanted = (search.Page * search.PageSize) + 1;
        List<PatientSummary> found;
        if (search.FamilyKey is { } family)
        {
            var familyEnd = NameKeys.PrefixUpperBound(family);
            var sound = search.FamilySound is { Length: > 0 } s ? s : null;
            found = await FirstAsync(patients.Where(p => string.Compare(p.FamilyNameKey, family) >= 0 && string.Compare(p.FamilyNameKey, familyEnd) < 0), search.Order, wanted, cancel);
            if (sound is not null)
            {
                found.AddRange(await FirstAsync(patients.Where(p => p.FamilyNameSound == sound), search.Order, wanted, cancel));
            }
            // Previous family names (before marriage, for instance): found through their own index first.
            var formerly = await patients
                .SelectMany(p => p.PreviousNames.Where(n => (string.Compare(n.FamilyNameKey, family) >= 0 && string.Compare(n.FamilyNameKey, familyEnd) < 0)
                    || n.FamilyNameSound == sound), (p, n) => p.Id)
                .Take(wanted).ToListAsync(cancel);
            if (formerly.Count > 0)
            {
                found.AddRange(await FirstAsync(patients.Where(p => formerly.Contains(p.Id)), search.Order, wanted, cancel));
            }
            found = [.. found.DistinctBy(p => p.Id).Order(PatientOrdering.Comparer(search.Order)).Take(wanted)];
        }
        else
        {
            found = await FirstAsync(patients, search.Order, wanted, cancel);
        }
        var page = found.Skip((search.Page - 1) * search.PageSize).Take(search.PageSize).ToList();
        await audit.SaveAsync(new AuditEvent(AuditAction.Search, "PatientSearch", null,
            Reason: $"{search.Describe()}; {page.Count} result(s){(found.Count == wanted ? " and more" : "")}"), cancel);
        return new PatientSearchPage(page, search.Page, search.PageSize, found.Count == wanted);
    }

    private static Task<List<PatientSummary>> FirstAsync(IQueryable<Patient> patients, PatientOrder order, int count, CancellationToken cancel) =>
        PatientOrdering.Apply(patients, order)
            .Select(p => new PatientSummary(p.Id, p.FamilyName, p.GivenName, p.Title, p.BirthDate, p.Gender, p.NhsNumber, p.Mrn,
                p.Postcode, p.DateOfDeath, p.IsSensitive, p.FamilyNameKey, p.GivenNameKey))
            .Take(count)
            .ToListAsync(cancel);
}
