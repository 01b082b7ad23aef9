namespace Lantern.Server.Patients.Search;

/// <summary>
/// The orders search results come in. Each is a whole chain of keys (so pages never overlap or skip): name order
/// is family, given, date of birth, MRN; given-name order puts given first; birth order puts date of birth first.
/// Descending reverses the whole chain.
/// </summary>
public enum PatientOrder
{
    Name,
    NameDescending,
    GivenName,
    GivenNameDescending,
    BirthDate,
    BirthDateDescending,
}

public static class PatientOrdering
{
    /// <summary>Orders the query by the chain; each key has an index that starts with it.</summary>
    public static IOrderedQueryable<Patient> Apply(IQueryable<Patient> patients, PatientOrder order) => order switch
    {
        PatientOrder.NameDescending => patients.OrderByDescending(p => p.FamilyNameKey).ThenByDescending(p => p.GivenNameKey).ThenByDescending(p => p.BirthDate).ThenByDescending(p => p.Mrn),
        PatientOrder.GivenName => patients.OrderBy(p => p.GivenNameKey).ThenBy(p => p.FamilyNameKey).ThenBy(p => p.BirthDate).ThenBy(p => p.Mrn),
        PatientOrder.GivenNameDescending => patients.OrderByDescending(p => p.GivenNameKey).ThenByDescending(p => p.FamilyNameKey).ThenByDescending(p => p.BirthDate).ThenByDescending(p => p.Mrn),
        PatientOrder.BirthDate => patients.OrderBy(p => p.BirthDate).ThenBy(p => p.FamilyNameKey).ThenBy(p => p.GivenNameKey).ThenBy(p => p.Mrn),
        PatientOrder.BirthDateDescending => patients.OrderByDescending(p => p.BirthDate).ThenByDescending(p => p.FamilyNameKey).ThenByDescending(p => p.GivenNameKey).ThenByDescending(p => p.Mrn),
        _ => patients.OrderBy(p => p.FamilyNameKey).ThenBy(p => p.GivenNameKey).ThenBy(p => p.BirthDate).ThenBy(p => p.Mrn),
    };

    /// <summary>The same order in memory, for merging results found by separate queries (ordinal, as the databases compare keys).</summary>
    public static IComparer<PatientSummary> Comparer(PatientOrder order)
    {
        var descending = order is PatientOrder.NameDescending or PatientOrder.GivenNameDescending or PatientOrder.BirthDateDescending;
        Comparison<PatientSummary> compare = order switch
        {
            PatientOrder.GivenName or PatientOrder.GivenNameDescending => (a, b) => Chain(
                string.CompareOrdinal(a.GivenNameKey, b.GivenNameKey), string.CompareOrdinal(a.FamilyNameKey, b.FamilyNameKey), a.BirthDate.CompareTo(b.BirthDate), string.CompareOrdinal(a.Mrn, b.Mrn)),
            PatientOrder.BirthDate or PatientOrder.BirthDateDescending => (a, b) => Chain(
                a.BirthDate.CompareTo(b.BirthDate), string.CompareOrdinal(a.FamilyNameKey, b.FamilyNameKey), string.CompareOrdinal(a.GivenNameKey, b.GivenNameKey), string.CompareOrdinal(a.Mrn, b.Mrn)),
            _ => (a, b) => Chain(
                string.CompareOrdinal(a.FamilyNameKey, b.FamilyNameKey), string.CompareOrdinal(a.GivenNameKey, b.GivenNameKey), a.BirthDate.CompareTo(b.BirthDate), string.CompareOrdinal(a.Mrn, b.Mrn)),
        };
        return Comparer<PatientSummary>.Create(descending ? (a, b) => compare(b, a) : compare);
    }

    private static int Chain(params ReadOnlySpan<int> comparisons)
    {
        foreach (var c in comparisons)
        {
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
