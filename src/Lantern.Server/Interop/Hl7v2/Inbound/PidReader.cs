using Lantern.Hl7v2.Er7;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Interop.Hl7v2.Inbound;

/// <summary>
/// The patient a message is about, from PID (and PD1, NK1): the identifiers that find them in the MPI and the
/// demographics in the registration pages' terms, so a feed gets exactly the pages' validation. Field errors are
/// named by their HL7 field (<see cref="FieldOf"/>).
/// </summary>
public static class PidReader
{
    /// <summary>PID-3 identifier type codes for an NHS number (NH in HL7 table 0203; HN is sent by some NHS feeds).</summary>
    private static readonly string[] NhsNumberTypes = ["NH", "NHS", "HN"];

    /// <summary>PID-3 identifier types for the sender's hospital number: MR (table 0203), MRN, MEDREC (Epic), PI, PT, or none given.</summary>
    private static readonly string[] HospitalNumberTypes = ["MR", "MRN", "MEDREC", "PI", "PT", ""];

    public sealed record Identifiers(string? Mrn, string? NhsNumber);

    public static Identifiers IdentifiersOf(Hl7Segment pid)
    {
        string? mrn = null, nhs = null;
        foreach (var cx in pid.Field(3).Repetitions)
        {
            var (id, authority, type) = (cx.Value(1).Trim(), cx.Value(4).Trim(), cx.Value(5).Trim().ToUpperInvariant());
            if (id.Length == 0)
            {
                continue;
            }
            if (NhsNumberTypes.Contains(type) || authority.Equals("NHS", StringComparison.OrdinalIgnoreCase))
            {
                nhs ??= id.Replace(" ", "", StringComparison.Ordinal);
            }
            else if (HospitalNumberTypes.Contains(type))
            {
                mrn ??= id;
            }
        }
        // Older (v2.3) feeds at some trusts still send the NHS number in PID-2, the external patient id.
        nhs ??= pid.ValueOrNull(2)?.Replace(" ", "", StringComparison.Ordinal) is { Length: 10 } external ? external : null;
        return new(mrn, nhs);
    }

    // Every ADT and ORU message looks its patient up: compiled, and both numbers in one statement (each on its own
    // index), so that a patient new to Lantern costs one look-up, not two (one round trip on PostgreSQL).
    private static readonly PerModel<Func<LanternDb, string?, string?, IAsyncEnumerable<Patient>>> ByNumbers = new(() => EF.CompileAsyncQuery(
        (LanternDb db, string? mrn, string? nhs) =>
            db.Patients.Where(p => (mrn != null && p.Mrn == mrn) || (nhs != null && p.NhsNumber == nhs && p.MergedIntoId == null)).Take(2)));

    /// <summary>The patient PID names: by hospital number first (the sender's key), then NHS number; a merged record leads to its survivor.</summary>
    public static async Task<Patient?> FindPatientAsync(LanternDb db, Hl7Segment pid, CancellationToken cancel)
    {
        var (mrn, nhs) = IdentifiersOf(pid);
        if (mrn is null && nhs is null)
        {
            return null;
        }
        Patient? byMrn = null, byNhs = null;
        await foreach (var found in ByNumbers.For(db)(db, mrn, nhs).WithCancellation(cancel))
        {
            if (mrn is not null && found.Mrn == mrn)
            {
                byMrn = found;
            }
            else
            {
                byNhs = found;
            }
        }
        var patient = byMrn ?? byNhs;
        return patient?.MergedIntoId is { } survivor ? await db.Patients.FindAsync([survivor], cancel) : patient;
    }

    /// <summary>The demographics PID carries, over <paramref name="current"/> where the patient is known (fields not sent are kept).</summary>
    public static PatientDetails DetailsOf(Hl7Message message, Hl7Segment pid, PatientDetails? current)
    {
        var c = current ?? new PatientDetails();
        var name = pid.Field(5).Repetition(1);
        var address = pid.Field(11).Repetition(1);
        var pd1 = message.Segment("PD1");
        var nk1 = message.Segment("NK1");
        var ids = IdentifiersOf(pid);
        var died = pid.Value(29);
        return c with
        {
            FamilyName = Keep(name.Value(1), c.FamilyName),
            GivenName = Keep(name.Value(2), c.GivenName),
            OtherGivenNames = Keep(name.Value(3), c.OtherGivenNames),
            Title = Keep(name.Value(5), c.Title),
            BirthDate = pid.Value(7) is { Length: > 0 } born ? (Hl7Time.Date(born)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? born) : c.BirthDate,
            Gender = pid.Value(8).ToUpperInvariant() switch
            {
                "M" => "male",
                "F" => "female",
                "O" => "other",
                "U" or "A" or "N" => "unknown",
                "" => c.Gender ?? "unknown",
                var other => other,
            },
            NhsNumber = ids.NhsNumber ?? c.NhsNumber,
            AddressLine1 = Keep(address.Value(1), c.AddressLine1),
            AddressLine2 = Keep(address.Value(2), c.AddressLine2),
            Town = Keep(address.Value(3), c.Town),
            Postcode = Keep(address.Value(5), c.Postcode),
            Phone = Keep(pid.Field(13).Repetition(1).Value(1), c.Phone),
            EthnicCategory = Keep(pid.Value(22) is { Length: 1 } ethnic && EthnicCategory.All.Any(e => e.Code == ethnic) ? ethnic : "", c.EthnicCategory),
            GpPracticeCode = pd1 is null ? c.GpPracticeCode : Keep(pd1.Value(3, 3) is { Length: > 0 } practice ? practice : pd1.Value(3, 10), c.GpPracticeCode),
            NextOfKinName = nk1 is null ? c.NextOfKinName : Keep(string.Join(' ', new[] { nk1.Value(2, 2), nk1.Value(2, 1) }.Where(s => s.Length > 0)), c.NextOfKinName),
            NextOfKinRelationship = nk1 is null ? c.NextOfKinRelationship : Keep(nk1.Value(3, 2) is { Length: > 0 } rel ? rel : nk1.Value(3, 1), c.NextOfKinRelationship),
            NextOfKinPhone = nk1 is null ? c.NextOfKinPhone : Keep(nk1.Field(5).Repetition(1).Value(1), c.NextOfKinPhone),
            DateOfDeath = died.Length > 0 ? (Hl7Time.Date(died)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? died)
                : pid.Field(29).IsExplicitNull ? null : c.DateOfDeath,
        };
    }

    /// <summary>HL7 update rules: an empty field leaves what is held; <c>""</c> clears it; anything else replaces it.</summary>
    private static string? Keep(string sent, string? held) => sent switch
    {
        "" => held,
        Hl7Field.ExplicitNull => null,
        _ => sent.Trim(),
    };

    /// <summary>The HL7 field behind a registration field, for the ERR segment and the monitor.</summary>
    public static string FieldOf(string detailsField) => detailsField switch
    {
        nameof(PatientDetails.FamilyName) => "PID-5.1",
        nameof(PatientDetails.GivenName) => "PID-5.2",
        nameof(PatientDetails.OtherGivenNames) => "PID-5.3",
        nameof(PatientDetails.Title) => "PID-5.5",
        nameof(PatientDetails.BirthDate) => "PID-7",
        nameof(PatientDetails.Gender) => "PID-8",
        nameof(PatientDetails.NhsNumber) => "PID-3 (NHS number)",
        nameof(PatientDetails.AddressLine1) => "PID-11.1",
        nameof(PatientDetails.AddressLine2) => "PID-11.2",
        nameof(PatientDetails.Town) => "PID-11.3",
        nameof(PatientDetails.Postcode) => "PID-11.5",
        nameof(PatientDetails.Phone) => "PID-13",
        nameof(PatientDetails.EthnicCategory) => "PID-22",
        nameof(PatientDetails.DateOfDeath) => "PID-29",
        nameof(PatientDetails.GpPracticeCode) => "PD1-3",
        nameof(PatientDetails.NextOfKinName) => "NK1-2",
        nameof(PatientDetails.NextOfKinRelationship) => "NK1-3",
        nameof(PatientDetails.NextOfKinPhone) => "NK1-5",
        _ => detailsField,
    };
}
