using Lantern.Server.Organisation;

namespace Lantern.Server.Demo;

/// <summary>
/// The structure of the fictional demo trust: one acute site with its wards, specialties, consultants,
/// teams and outpatient clinics. Codes are realistic in shape; names and GMC numbers are invented.
/// </summary>
public static class DemoTrust
{
    public const string SiteOdsCode = "RZZ01";
    public const string SiteName = "Lantern General Hospital";

    public static IReadOnlyList<Specialty> Specialties() =>
    [
        new("100", "General Surgery"), new("101", "Urology"), new("110", "Trauma and Orthopaedics"),
        new("120", "Ear, Nose and Throat"), new("180", "Emergency Medicine"), new("192", "Critical Care Medicine"),
        new("300", "General Internal Medicine"), new("301", "Gastroenterology"), new("320", "Cardiology"),
        new("330", "Dermatology"), new("340", "Respiratory Medicine"), new("420", "Paediatrics"),
        new("430", "Geriatric Medicine"), new("501", "Obstetrics"),
    ];

    /// <summary>Ward code, name, specialty, then bays as (letter, sex, beds), then side rooms.</summary>
    public static IReadOnlyList<Ward> Wards()
    {
        return
        [
            Build("AMU", "Acute Medical Unit", "300", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Male, 6), ("D", SexOfBay.Female, 6)], 4),
            Build("W07", "Ward 7 (Cardiology)", "320", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Male, 4), ("D", SexOfBay.Female, 4)], 4),
            Build("W09", "Ward 9 (Respiratory)", "340", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Mixed, 4)], 6),
            Build("W12", "Ward 12 (Elderly Care)", "430", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Male, 6), ("D", SexOfBay.Female, 6)], 4),
            Build("W14", "Ward 14 (General Surgery)", "100", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Mixed, 6)], 4),
            Build("W15", "Ward 15 (Trauma and Orthopaedics)", "110", [("A", SexOfBay.Male, 6), ("B", SexOfBay.Female, 6), ("C", SexOfBay.Female, 6)], 4),
            Build("SAU", "Surgical Assessment Unit", "100", [("A", SexOfBay.Male, 4), ("B", SexOfBay.Female, 4)], 2),
            Build("MAT", "Maternity Ward", "501", [("A", SexOfBay.Female, 6), ("B", SexOfBay.Female, 6)], 6),
            Build("CHW", "Children's Ward", "420", [("A", SexOfBay.Mixed, 6), ("B", SexOfBay.Mixed, 4)], 6),
            Build("ICU", "Intensive Care Unit", "192", [("A", SexOfBay.Mixed, 8)], 4),
        ];

        static Ward Build(string code, string name, string specialty, (string Bay, SexOfBay Sex, int Beds)[] bays, int sideRooms)
        {
            var ward = new Ward(code, name, specialty);
            foreach (var (bay, sex, beds) in bays)
            {
                ward.AddBay(bay, sex, beds);
            }
            for (var i = 0; i < sideRooms; i++)
            {
                ward.AddSideRoom();
            }
            return ward;
        }
    }

    public static IReadOnlyList<Consultant> Consultants() =>
    [
        new("7100001", "Mr", "David", "Hughes", "100"),
        new("7100002", "Ms", "Fiona", "Campbell", "100"),
        new("7100003", "Mr", "Rajesh", "Kumar", "110"),
        new("7100004", "Miss", "Laura", "Evans", "101"),
        new("7100005", "Mr", "Owen", "Price", "120"),
        new("7100006", "Dr", "Thomas", "Reilly", "180"),
        new("7100007", "Dr", "Helen", "Wright", "192"),
        new("7100008", "Dr", "Samuel", "Adeyemi", "300"),
        new("7100009", "Dr", "Anna", "Kowalski", "301"),
        new("7100010", "Dr", "Richard", "Bennett", "320"),
        new("7100011", "Dr", "Meera", "Iyer", "320"),
        new("7100012", "Dr", "Catherine", "Lloyd", "330"),
        new("7100013", "Dr", "James", "Fraser", "340"),
        new("7100014", "Dr", "Olivia", "Grant", "420"),
        new("7100015", "Dr", "Margaret", "Holloway", "430"),
        new("7100016", "Miss", "Sophie", "Turner", "501"),
    ];

    /// <summary>One team per consultant (named after them), plus the ED as a team of its own.</summary>
    public static IReadOnlyList<ClinicalTeam> Teams(IReadOnlyList<Consultant> consultants, IReadOnlyList<Specialty> specialties) =>
    [
        .. consultants.Select(c => new ClinicalTeam(
            c.SpecialtyCode == "180" ? "Emergency Department" : $"{specialties.Single(s => s.Code == c.SpecialtyCode).Name} - {c.Title} {c.FamilyName}",
            c.SpecialtyCode, c)),
    ];

    public static IReadOnlyList<Clinic> Clinics(IReadOnlyList<Consultant> consultants, Site site)
    {
        Consultant By(string family) => consultants.Single(c => c.FamilyName == family);
        return
        [
            new("CARD-MON-AM", "Cardiology new patient clinic", "320", By("Bennett"), site, "Outpatients B", DayOfWeek.Monday, ClinicSession.Morning),
            new("CARD-THU-PM", "Cardiology follow-up clinic", "320", By("Iyer"), site, "Outpatients B", DayOfWeek.Thursday, ClinicSession.Afternoon),
            new("RESP-TUE-AM", "Respiratory clinic", "340", By("Fraser"), site, "Outpatients A", DayOfWeek.Tuesday, ClinicSession.Morning),
            new("GSUR-WED-AM", "General surgery clinic", "100", By("Hughes"), site, "Outpatients C", DayOfWeek.Wednesday, ClinicSession.Morning),
            new("ORTH-FRI-AM", "Fracture clinic", "110", By("Kumar"), site, "Fracture Clinic", DayOfWeek.Friday, ClinicSession.Morning),
            new("URO-MON-PM", "Urology clinic", "101", By("Evans"), site, "Outpatients C", DayOfWeek.Monday, ClinicSession.Afternoon),
            new("ENT-TUE-PM", "ENT clinic", "120", By("Price"), site, "Outpatients A", DayOfWeek.Tuesday, ClinicSession.Afternoon),
            new("DERM-WED-PM", "Dermatology clinic", "330", By("Lloyd"), site, "Outpatients D", DayOfWeek.Wednesday, ClinicSession.Afternoon),
            new("GAST-THU-AM", "Gastroenterology clinic", "301", By("Kowalski"), site, "Outpatients D", DayOfWeek.Thursday, ClinicSession.Morning),
            new("ELD-FRI-PM", "Falls and frailty clinic", "430", By("Holloway"), site, "Outpatients A", DayOfWeek.Friday, ClinicSession.Afternoon),
            new("PAED-WED-AM", "General paediatrics clinic", "420", By("Grant"), site, "Children's Outpatients", DayOfWeek.Wednesday, ClinicSession.Morning),
            new("ANTE-TUE-AM", "Antenatal clinic", "501", By("Turner"), site, "Maternity Outpatients", DayOfWeek.Tuesday, ClinicSession.Morning),
        ];
    }
}
