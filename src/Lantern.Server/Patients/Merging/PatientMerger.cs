using Lantern.Server.Inpatients;
using Lantern.Server.Audit;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Patients.Merging;

public sealed record MergeResult(PatientMerge? Merge, string? Problem)
{
    public static MergeResult Refused(string problem) => new(null, problem);
}

/// <summary>
/// Merges two registrations of one person and undoes such merges. A merge moves every linked record
/// (each module's <see cref="IPatientLinks"/>) from the retired record to the survivor, marks the retired
/// record as merged (it then redirects), and writes both patients' audit entries, all in one transaction.
/// An unmerge moves back exactly the records the merge moved.
/// </summary>
public sealed class PatientMerger(LanternDb db, IEnumerable<IPatientLinks> links, AuditTrail audit, CurrentStaff staff, TimeProvider clock)
{
    public async Task<MergeResult> MergeAsync(Guid survivorId, Guid retiredId, string reason, CancellationToken cancel = default)
    {
        if (survivorId == retiredId)
        {
            return MergeResult.Refused("Choose two different records to merge");
        }
        var survivor = await db.Patients.FirstOrDefaultAsync(p => p.Id == survivorId, cancel);
        var retired = await db.Patients.FirstOrDefaultAsync(p => p.Id == retiredId, cancel);
        if (survivor is null || retired is null)
        {
            return MergeResult.Refused("Patient record not found");
        }
        if (survivor.MergedIntoId is not null || retired.MergedIntoId is not null)
        {
            return MergeResult.Refused("One of these records has already been merged into another");
        }
        var openSpells = await db.Spells.Where(Spell.Current).CountAsync(s => s.PatientId == survivorId || s.PatientId == retiredId, cancel);
        if (openSpells > 1)
        {
            return MergeResult.Refused("Both records have a current admission: discharge or cancel one admission before merging");
        }

        var merge = await audit.SaveInTransactionAsync(async cancel =>
        {
            var merge = new PatientMerge(survivorId, retiredId, reason, clock.GetUtcNow().UtcDateTime, staff.UserName ?? "system");
            // Rows an HL7 batch appended before this merge (its inbox rows) go in first, so that they move with the rest.
            await db.InsertCollectedAsync(cancel);
            foreach (var link in links)
            {
                foreach (var key in await link.MoveAllAsync(db, retiredId, survivorId, cancel))
                {
                    merge.Moves.Add(new PatientMergeMove(link.RecordType, key));
                }
            }
            retired.MergeInto(survivorId);
            db.PatientMerges.Add(merge);
            var moved = $"{merge.Moves.Count} linked record(s) moved";
            return (merge, (IReadOnlyList<AuditEvent>)[
                new(AuditAction.Merge, PatientAccess.RecordType, survivorId.ToString(), survivorId, $"Survivor: {retired.Mrn} merged into {survivor.Mrn}; {moved}; {reason}"),
                new(AuditAction.Merge, PatientAccess.RecordType, retiredId.ToString(), retiredId, $"Retired: merged into {survivor.Mrn}; {moved}; {reason}"),
            ]);
        }, cancel);
        return new(merge, null);
    }

    public async Task<MergeResult> UnmergeAsync(Guid mergeId, string reason, CancellationToken cancel = default)
    {
        var merge = await db.PatientMerges.Include(m => m.Moves).FirstOrDefaultAsync(m => m.Id == mergeId, cancel);
        if (merge is null || !merge.IsActive)
        {
            return MergeResult.Refused("That merge does not exist or has already been undone");
        }
        var retired = await db.Patients.FirstAsync(p => p.Id == merge.RetiredId, cancel);
        var survivor = await db.Patients.FirstAsync(p => p.Id == merge.SurvivorId, cancel);
        if (retired.MergedIntoId != merge.SurvivorId)
        {
            return MergeResult.Refused("The retired record is no longer merged into this survivor");
        }
        if (survivor.MergedIntoId is not null)
        {
            return MergeResult.Refused("The survivor has since been merged into another record: undo that merge first");
        }

        await audit.SaveInTransactionAsync(async cancel =>
        {
            foreach (var link in links)
            {
                var keys = merge.Moves.Where(m => m.RecordType == link.RecordType).Select(m => m.RecordKey).ToList();
                if (keys.Count > 0)
                {
                    await link.MoveAsync(db, keys, merge.RetiredId, cancel);
                }
            }
            retired.Unmerge();
            merge.Undo(clock.GetUtcNow().UtcDateTime, staff.UserName ?? "system", reason);
            var moved = $"{merge.Moves.Count} linked record(s) moved back";
            return (merge, (IReadOnlyList<AuditEvent>)[
                new(AuditAction.Unmerge, PatientAccess.RecordType, merge.SurvivorId.ToString(), merge.SurvivorId, $"Survivor: {retired.Mrn} unmerged from {survivor.Mrn}; {moved}; {reason}"),
                new(AuditAction.Unmerge, PatientAccess.RecordType, merge.RetiredId.ToString(), merge.RetiredId, $"Restored: unmerged from {survivor.Mrn}; {moved}; {reason}"),
            ]);
        }, cancel);
        return new(merge, null);
    }
}
