namespace Lantern.Server.Organisation;

/// <summary>An inpatient ward: bays of beds (and side rooms) under one nursing team.</summary>
public sealed class Ward
{
    public int Id { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public int SiteId { get; private set; }
    public Site? Site { get; private set; }
    public string SpecialtyCode { get; private set; }
    public Specialty? Specialty { get; private set; }
    public List<Bay> Bays { get; private set; } = [];
    public List<Bed> Beds { get; private set; } = [];

    public Ward(string code, string name, string specialtyCode)
    {
        Code = code;
        Name = name;
        SpecialtyCode = specialtyCode;
    }

    /// <summary>Adds a bay of <paramref name="bedCount"/> beds labelled with the bay letter (A1, A2, …).</summary>
    public Bay AddBay(string name, SexOfBay sex, int bedCount)
    {
        var bay = new Bay(name, sex);
        Bays.Add(bay);
        for (var n = 1; n <= bedCount; n++)
        {
            Beds.Add(new Bed($"{name}{n}", bay));
        }
        return bay;
    }

    /// <summary>Adds one bed, in a bay or (with no bay) as a side room; labels are unique on the ward.</summary>
    public Bed AddBed(string label, Bay? bay)
    {
        var bed = new Bed(label, bay);
        Beds.Add(bed);
        return bed;
    }

    /// <summary>Adds a single side room, named SR1, SR2, …, outside any bay.</summary>
    public Bed AddSideRoom()
    {
        var bed = new Bed($"SR{Beds.Count(b => b.Bay is null) + 1}", bay: null);
        Beds.Add(bed);
        return bed;
    }
}
