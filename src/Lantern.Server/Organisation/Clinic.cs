namespace Lantern.Server.Organisation;

/// <summary>A recurring outpatient clinic: a consultant's session on a weekday in a clinic location.</summary>
public sealed class Clinic
{
    public int Id { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public string SpecialtyCode { get; private set; }
    public Specialty? Specialty { get; private set; }
    public int ConsultantId { get; private set; }
    public Consultant? Consultant { get; private set; }
    public int SiteId { get; private set; }
    public Site? Site { get; private set; }
    public string Location { get; private set; }
    public DayOfWeek Weekday { get; private set; }
    public ClinicSession Session { get; private set; }

    public Clinic(string code, string name, string specialtyCode, Consultant consultant, Site site,
        string location, DayOfWeek weekday, ClinicSession session)
    {
        Code = code;
        Name = name;
        SpecialtyCode = specialtyCode;
        Consultant = consultant;
        Site = site;
        Location = location;
        Weekday = weekday;
        Session = session;
    }

    private Clinic(string code, string name, string specialtyCode, string location, DayOfWeek weekday, ClinicSession session)
    {
        Code = code;
        Name = name;
        SpecialtyCode = specialtyCode;
        Location = location;
        Weekday = weekday;
        Session = session;
    }
}
