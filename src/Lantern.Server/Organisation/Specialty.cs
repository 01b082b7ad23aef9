namespace Lantern.Server.Organisation;

/// <summary>A clinical specialty, keyed by its NHS Data Dictionary treatment function code (e.g. 320 Cardiology).</summary>
public sealed class Specialty
{
    public string Code { get; private set; }
    public string Name { get; private set; }

    public Specialty(string code, string name)
    {
        Code = code;
        Name = name;
    }
}
