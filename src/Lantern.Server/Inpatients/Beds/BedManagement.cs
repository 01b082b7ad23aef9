using Lantern.Server.Audit;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients.Beds;

/// <summary>"available" (cleaned, or reopened), "cleaning" or "closed". Occupied comes only from an admission or transfer.</summary>
public sealed record BedStatusRequest(string? Status);

public sealed record NewBayRequest(string? Name, SexOfBay? Sex, int? Beds);

/// <summary>A single bed; with no bay it is a side room.</summary>
public sealed record NewBedRequest(string? Label, string? Bay);

public sealed record BayDesignationRequest(SexOfBay? Sex);

public sealed record BedManagementResult(IReadOnlyList<FieldError> Errors, bool NotFound = false, bool Conflict = false)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound;
}

/// <summary>
/// Changes to a ward's beds outside admissions: ward staff mark beds clean, needing cleaning, closed or reopened;
/// system administrators add bays and beds and designate a bay's sex. Each change is checked against who is in
/// the beds, saved with its audit entry in one transaction, and pushed to open bed boards.
/// </summary>
public sealed class BedManagement(LanternDb db, AuditTrail audit, WardChanges boards)
{
    private const int MaxLabelLength = 10;

    public async Task<BedManagementResult> SetBedStatusAsync(string wardCode, string bedLabel, BedStatusRequest r, CancellationToken cancel)
    {
        var ward = await db.Wards.FirstOrDefaultAsync(w => w.Code == wardCode, cancel);
        var bed = ward is null ? null : await db.Beds.FirstOrDefaultAsync(b => b.WardId == ward.Id && b.Label == bedLabel, cancel);
        if (bed is null)
        {
            return new([], NotFound: true);
        }
        var status = (r.Status ?? "").Trim().ToLowerInvariant();
        var problem = (status, bed.Status) switch
        {
            ("", _) => "Select the bed's new status",
            (not ("available" or "cleaning" or "closed"), _) => "Status must be available, cleaning or closed",
            (_, BedStatus.Occupied) => $"Bed {bed.Label} has a patient in it: transfer or discharge them first",
            ("available", BedStatus.Available) or ("cleaning", BedStatus.Cleaning) or ("closed", BedStatus.Closed) => $"Bed {bed.Label} is already {Describe(bed.Status)}",
            ("cleaning", BedStatus.Closed) => $"Bed {bed.Label} is closed: reopen it first",
            _ => null,
        };
        if (problem is not null)
        {
            return new([new FieldError(nameof(BedStatusRequest.Status), problem)]);
        }
        var before = bed.Status;
        switch (status, before)
        {
            case ("available", BedStatus.Cleaning): bed.MarkClean(); break;
            case ("available", _): bed.Reopen(); break;
            case ("cleaning", _): bed.NeedsCleaning(); break;
            default: bed.Close(); break;
        }
        return await SaveAsync(ward!, $"Bed {bed.Label}: {Describe(before)} → {Describe(bed.Status)}", "Bed", $"{ward!.Code} {bed.Label}", cancel);
    }

    public async Task<BedManagementResult> AddBayAsync(string wardCode, NewBayRequest r, CancellationToken cancel)
    {
        var ward = await LoadLayoutAsync(wardCode, cancel);
        if (ward is null)
        {
            return new([], NotFound: true);
        }
        var name = (r.Name ?? "").Trim().ToUpperInvariant();
        var errors = new List<FieldError>();
        if (LabelProblem(name, "bay name") is { } nameProblem)
        {
            errors.Add(new(nameof(NewBayRequest.Name), nameProblem));
        }
        else if (ward.Bays.Any(b => b.Name == name))
        {
            errors.Add(new(nameof(NewBayRequest.Name), $"{ward.Name} already has a bay {name}"));
        }
        if (r.Sex is null)
        {
            errors.Add(new(nameof(NewBayRequest.Sex), "Select who the bay is for: male, female or mixed"));
        }
        if (r.Beds is not (>= 0 and <= 40))
        {
            errors.Add(new(nameof(NewBayRequest.Beds), "Number of beds must be between 0 and 40"));
        }
        else if (errors.Count == 0 && Enumerable.Range(1, r.Beds.Value).Select(n => $"{name}{n}").FirstOrDefault(l => ward.Beds.Any(b => b.Label == l)) is { } clash)
        {
            errors.Add(new(nameof(NewBayRequest.Name), $"{ward.Name} already has a bed {clash}: choose another bay name"));
        }
        if (errors.Count > 0)
        {
            return new(errors);
        }
        ward.AddBay(name, r.Sex!.Value, r.Beds!.Value);
        return await SaveAsync(ward, $"Bay {name} added ({Describe(r.Sex.Value)}, {r.Beds} beds)", "Ward", ward.Code, cancel);
    }

    public async Task<BedManagementResult> AddBedAsync(string wardCode, NewBedRequest r, CancellationToken cancel)
    {
        var ward = await LoadLayoutAsync(wardCode, cancel);
        if (ward is null)
        {
            return new([], NotFound: true);
        }
        var label = (r.Label ?? "").Trim().ToUpperInvariant();
        var bayName = string.IsNullOrWhiteSpace(r.Bay) ? null : r.Bay.Trim().ToUpperInvariant();
        var bay = bayName is null ? null : ward.Bays.FirstOrDefault(b => b.Name == bayName);
        var errors = new List<FieldError>();
        if (LabelProblem(label, "bed label") is { } labelProblem)
        {
            errors.Add(new(nameof(NewBedRequest.Label), labelProblem));
        }
        else if (ward.Beds.Any(b => b.Label == label))
        {
            errors.Add(new(nameof(NewBedRequest.Label), $"{ward.Name} already has a bed {label}"));
        }
        if (bayName is not null && bay is null)
        {
            errors.Add(new(nameof(NewBedRequest.Bay), $"{ward.Name} has no bay {bayName}"));
        }
        if (errors.Count > 0)
        {
            return new(errors);
        }
        ward.AddBed(label, bay);
        return await SaveAsync(ward, $"Bed {label} added {(bay is null ? "as a side room" : $"to bay {bay.Name}")}", "Ward", ward.Code, cancel);
    }

    public async Task<BedManagementResult> DesignateBayAsync(string wardCode, string bayName, BayDesignationRequest r, CancellationToken cancel)
    {
        var ward = await LoadLayoutAsync(wardCode, cancel);
        var bay = ward?.Bays.FirstOrDefault(b => string.Equals(b.Name, bayName, StringComparison.OrdinalIgnoreCase));
        if (bay is null)
        {
            return new([], NotFound: true);
        }
        if (r.Sex is not { } sex)
        {
            return new([new FieldError(nameof(BayDesignationRequest.Sex), "Select who the bay is for: male, female or mixed")]);
        }
        if (sex != SexOfBay.Mixed)
        {
            // Redesignating must not silently put patients in a bay of the other sex (same-sex accommodation).
            var bedIds = ward!.Beds.Where(b => b.BayId == bay.Id).Select(b => b.Id).ToList();
            var others = await db.Spells.Where(Spell.Current).Where(s => s.BedId != null && bedIds.Contains(s.BedId.Value))
                .Where(s => sex == SexOfBay.Male ? s.Patient!.Gender == Gender.Female : s.Patient!.Gender == Gender.Male)
                .Select(s => s.Bed!.Label).OrderBy(l => l).ToListAsync(cancel);
            if (others.Count > 0)
            {
                return new([new FieldError(nameof(BayDesignationRequest.Sex),
                    $"Bay {bay.Name} has patients of the other sex in bed {string.Join(", ", others)}: move them before making it a {Describe(sex)} bay")]);
            }
        }
        var before = bay.Sex;
        bay.Designate(sex);
        return await SaveAsync(ward!, $"Bay {bay.Name}: {Describe(before)} → {Describe(sex)}", "Ward", ward!.Code, cancel);
    }

    private Task<Ward?> LoadLayoutAsync(string wardCode, CancellationToken cancel) =>
        db.Wards.Include(w => w.Bays).Include(w => w.Beds).AsSplitQuery().FirstOrDefaultAsync(w => w.Code == wardCode, cancel);

    private async Task<BedManagementResult> SaveAsync(Ward ward, string detail, string recordType, string recordId, CancellationToken cancel)
    {
        try
        {
            await audit.SaveAsync(new AuditEvent(AuditAction.Update, recordType, recordId, Reason: detail), cancel);
        }
        catch (DbUpdateException)
        {
            // A patient was admitted to the bed, or another change won the race: nothing of ours was stored.
            return new([new FieldError("", "Someone else changed this ward at the same moment. Nothing was saved: check the bed board and try again.")], Conflict: true);
        }
        boards.Changed(ward.Id);
        return new([]);
    }

    private static string? LabelProblem(string label, string what) =>
        label.Length == 0 ? $"Enter the {what}"
        : label.Length > MaxLabelLength || !label.All(char.IsAsciiLetterOrDigit) ? $"The {what} must be up to {MaxLabelLength} letters and digits"
        : null;

    public static string Describe(BedStatus status) => status switch
    {
        BedStatus.Available => "available",
        BedStatus.Occupied => "occupied",
        BedStatus.Cleaning => "waiting for cleaning",
        _ => "closed",
    };

    private static string Describe(SexOfBay sex) => sex.ToString().ToLowerInvariant();
}
