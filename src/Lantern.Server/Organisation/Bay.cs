namespace Lantern.Server.Organisation;

/// <summary>A bay within a ward; beds in it share its designated sex.</summary>
public sealed class Bay
{
    public int Id { get; private set; }
    public int WardId { get; private set; }
    public string Name { get; private set; }
    public SexOfBay Sex { get; private set; }

    public Bay(string name, SexOfBay sex)
    {
        Name = name;
        Sex = sex;
    }

    /// <summary>Changes who the bay is for (the ward's same-sex plan changes with demand).</summary>
    public void Designate(SexOfBay sex) => Sex = sex;
}
