using Lantern.Server.Organisation;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

/// <summary>A ward's bed counts by state: the hospital's bed position at a glance. Names no patient.</summary>
public sealed record WardOccupancy(string Code, string Name, int Beds, int Occupied, int Free, int Cleaning, int Closed)
{
    public static Task<List<WardOccupancy>> ListAsync(LanternDb db, CancellationToken cancel) =>
        db.Wards.AsNoTracking().OrderBy(w => w.Name)
            .Select(w => new WardOccupancy(w.Code, w.Name, w.Beds.Count, w.Beds.Count(b => b.Status == BedStatus.Occupied),
                w.Beds.Count(b => b.Status == BedStatus.Available), w.Beds.Count(b => b.Status == BedStatus.Cleaning), w.Beds.Count(b => b.Status == BedStatus.Closed)))
            .ToListAsync(cancel);
}
