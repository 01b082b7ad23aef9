namespace Lantern.Server.Organisation;

/// <summary>A hospital site of the trust, identified by its ODS site code.</summary>
public sealed class Site
{
    public int Id { get; private set; }
    public string OdsCode { get; private set; }
    public string Name { get; private set; }
    public List<Ward> Wards { get; private set; } = [];

    public Site(string odsCode, string name)
    {
        OdsCode = odsCode;
        Name = name;
    }
}
