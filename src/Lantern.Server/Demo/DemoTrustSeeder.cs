using Lantern.Server.Inpatients;
using Lantern.Server.Inpatients.Expected;
using Lantern.Server.Organisation;
using Lantern.Server.Patients;
using Lantern.Server.Patients.Synthetic;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Demo;

/// <summary>Seeds the demo trust into an empty database, all in one transaction.</summary>
public sealed partial class DemoTrustSeeder(
    LanternDb db,
    UserManager<StaffUser> users,
    TimeProvider clock,
    ILogger<DemoTrustSeeder> log)
{
    private static string? demoPasswordHash;

    public async Task SeedIfEmptyAsync(CancellationToken cancel = default)
    {
        if (await db.Sites.AnyAsync(cancel))
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancel);

        var site = new Site(DemoTrust.SiteOdsCode, DemoTrust.SiteName);
        var specialties = DemoTrust.Specialties();
        var consultants = DemoTrust.Consultants();
        var wards = DemoTrust.Wards();
        site.Wards.AddRange(wards);
        // A little realism for the bed board: a bed closed for repair on the elderly care ward.
        wards.Single(w => w.Code == "W12").Beds.Single(b => b.Label == "D6").Close();

        db.Sites.Add(site);
        db.Specialties.AddRange(specialties);
        db.Consultants.AddRange(consultants);
        var teams = DemoTrust.Teams(consultants, specialties);
        db.ClinicalTeams.AddRange(teams);
        db.Clinics.AddRange(DemoTrust.Clinics(consultants, site));
        await db.SaveChangesAsync(cancel);
        var admitted = SeedInpatients(wards, teams);
        var registered = SeedRegisteredPatients();
        await db.SaveChangesAsync(cancel);
        SeedExpectedAdmissions(wards, teams);
        await db.SaveChangesAsync(cancel);

        foreach (var account in DemoAccounts.All)
        {
            var user = new StaffUser
            {
                UserName = account.UserName,
                DisplayName = account.DisplayName,
                JobTitle = account.JobTitle,
                Wards = [.. wards.Where(w => account.WardCodes.Contains(w.Code))],
                Teams = [.. teams.Where(t => account.TeamNames.Contains(t.Name))],
                MaySeeSensitiveRecords = account.MaySeeSensitiveRecords,
            };
            // One hash of the published demo password for every account, made once per process: the hasher is slow
            // on purpose (PBKDF2, 100,000 rounds, ~0.2 s a hash on a two-core machine), nine times over at each seeding.
            user.PasswordHash = demoPasswordHash ??= users.PasswordHasher.HashPassword(user, DemoAccounts.Password);
            Check(await users.CreateAsync(user), account.UserName);
            Check(await users.AddToRoleAsync(user, account.Role.Name), account.UserName);
        }

        await transaction.CommitAsync(cancel);
        var beds = wards.Sum(w => w.Beds.Count);
        Seeded(log, wards.Count, beds, admitted, registered, DemoAccounts.All.Count);
    }

    private int SeedInpatients(IReadOnlyList<Ward> wards, IReadOnlyList<ClinicalTeam> teams)
    {
        // Admitted over the last few days, in whole hours, so the bed board shows realistic lengths of stay.
        var now = clock.GetUtcNow().UtcDateTime;
        var n = 0;
        // Invented contact details (address, GP, next of kin) around the fixed names, so records look lived-in.
        var details = new SyntheticPatients(DemoPatients.RegisteredSeed + 1, UkTime.Today(clock));
        foreach (var inpatient in DemoPatients.All)
        {
            var patient = new Patient(DemoPatients.MrnFor(n), details.Next(DemoPatients.NhsNumberFor(n)) with
            {
                FamilyName = inpatient.FamilyName, GivenName = inpatient.GivenName, Title = inpatient.Title, OtherGivenNames = null,
                BirthDate = inpatient.BirthDate, Gender = inpatient.Gender, NhsNumberStatus = NhsNumberStatus.Verified,
                Sex = inpatient.Gender == Gender.Female ? Sex.Female : Sex.Male,
            }, now.AddYears(-5));
            patient.MarkSensitive(inpatient.Sensitive);
            var ward = wards.Single(w => w.Code == inpatient.WardCode);
            var bed = ward.Beds.Single(b => b.Label == inpatient.Bed);
            bed.Occupy();
            db.Patients.Add(patient);
            db.Spells.Add(new Spell(patient.Id, ward.Id, bed.Id, teams.Single(t => t.Name == inpatient.TeamName).Id,
                now.AddHours(-(6 + (n * 13 % 90)))));
            n++;
        }
        return n;
    }

    /// <summary>
    /// Two patients the elderly care ward expects (a GP referral this afternoon, a planned admission tomorrow), so that its
    /// board shows who is coming. The last registered patients, away from those the tests take as never admitted.
    /// </summary>
    private void SeedExpectedAdmissions(IReadOnlyList<Ward> wards, IReadOnlyList<ClinicalTeam> teams)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ward = wards.Single(w => w.Code == "W12");
        var coming = db.Patients.Local.Where(p => p.DateOfDeath is null && p.NhsNumber is not null && !p.IsSensitive)
            .OrderByDescending(p => p.Mrn, StringComparer.Ordinal).Take(2).ToList();
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        db.ExpectedAdmissions.Add(new ExpectedAdmission(coming[0].Id, ward.Id, null, hour.AddHours(3), "22", null, "Falls at home, GP referral", now, "bedbureau"));
        db.ExpectedAdmissions.Add(new ExpectedAdmission(coming[1].Id, ward.Id, teams.Single(t => t.Name == "Geriatric Medicine - Dr Holloway").Id,
            hour.AddDays(1), "11", "PAS-V1001", "Planned respite admission", now, "hl7:PAS"));
    }

    /// <summary>
    /// The rest of the master patient index: people registered for clinics and past visits, plus one
    /// deliberate duplicate (an old registration of an inpatient, without an NHS number) to practise merging on.
    /// </summary>
    private int SeedRegisteredPatients()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var generator = new SyntheticPatients(DemoPatients.RegisteredSeed, UkTime.Today(clock));
        var n = DemoPatients.All.Count;
        foreach (var nhs in SyntheticPatients.NhsNumbers(null).Take(DemoPatients.RegisteredCount))
        {
            db.Patients.Add(new Patient(DemoPatients.MrnFor(n++), generator.Next(nhs), now));
        }
        db.Patients.Add(new Patient(DemoPatients.MrnFor(n++), DemoPatients.OldRegistrationOfEdithHughes, now.AddYears(-9)));
        return n - DemoPatients.All.Count;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Seeded demo trust: {Wards} wards, {Beds} beds, {Patients} inpatients, {Registered} other registered patients, {Accounts} staff accounts")]
    private static partial void Seeded(ILogger log, int wards, int beds, int patients, int registered, int accounts);

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Demo seeding failed for {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
