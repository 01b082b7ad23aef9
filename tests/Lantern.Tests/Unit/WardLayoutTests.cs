using Lantern.Server.Demo;
using Lantern.Server.Organisation;

namespace Lantern.Tests.Unit;

public sealed class WardLayoutTests
{
    [Fact]
    public void Beds_are_labelled_by_bay_letter_and_side_rooms_numbered()
    {
        var ward = new Ward("T1", "Test ward", "300");
        ward.AddBay("A", SexOfBay.Female, 3);
        ward.AddSideRoom();
        ward.AddBay("B", SexOfBay.Male, 2);
        ward.AddSideRoom();

        Assert.Equal(["A1", "A2", "A3", "SR1", "B1", "B2", "SR2"], ward.Beds.Select(b => b.Label));
        Assert.All(ward.Beds.Where(b => b.Label.StartsWith('A')), b => Assert.Equal(SexOfBay.Female, b.Bay!.Sex));
        Assert.All(ward.Beds.Where(b => b.Label.StartsWith("SR", StringComparison.Ordinal)), b => Assert.Null(b.Bay));
    }

    [Fact]
    public void Demo_trust_is_internally_consistent()
    {
        var specialties = DemoTrust.Specialties().Select(s => s.Code).ToHashSet();
        var wards = DemoTrust.Wards();
        var consultants = DemoTrust.Consultants();

        Assert.True(wards.Count >= 6);
        Assert.Equal(wards.Count, wards.Select(w => w.Code).Distinct().Count());
        Assert.All(wards, w => Assert.Contains(w.SpecialtyCode, specialties));
        Assert.All(wards, w => Assert.Equal(w.Beds.Count, w.Beds.Select(b => b.Label).Distinct().Count()));
        Assert.All(consultants, c => Assert.Matches("^[0-9]{7}$", c.GmcNumber));
        Assert.Equal(consultants.Count, consultants.Select(c => c.GmcNumber).Distinct().Count());
        var teams = DemoTrust.Teams(consultants, DemoTrust.Specialties()).Select(t => t.Name).ToHashSet();
        var wardCodes = wards.Select(w => w.Code).ToHashSet();
        Assert.All(DemoAccounts.All, a =>
        {
            Assert.All(a.WardCodes, code => Assert.Contains(code, wardCodes));
            Assert.All(a.TeamNames, name => Assert.Contains(name, teams));
        });
    }
}
