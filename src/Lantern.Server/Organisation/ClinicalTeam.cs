namespace Lantern.Server.Organisation;

/// <summary>A consultant-led team (firm) within a specialty; referrals and staff are assigned to teams.</summary>
public sealed class ClinicalTeam
{
    public int Id { get; private set; }
    public string Name { get; private set; }
    public string SpecialtyCode { get; private set; }
    public Specialty? Specialty { get; private set; }
    public int LeadConsultantId { get; private set; }
    public Consultant? LeadConsultant { get; private set; }

    public ClinicalTeam(string name, string specialtyCode, Consultant leadConsultant)
    {
        Name = name;
        SpecialtyCode = specialtyCode;
        LeadConsultant = leadConsultant;
    }

    private ClinicalTeam(string name, string specialtyCode)
    {
        Name = name;
        SpecialtyCode = specialtyCode;
    }
}
