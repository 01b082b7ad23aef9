using System.Diagnostics;
using Lantern.Server.Audit;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lantern.Server.Patients.Synthetic;

/// <summary>
/// `generate-patients N`: adds N synthetic patients through the bulk path, for benchmarks and load tests.
/// Refused unless demo mode is on, so invented people never enter a live index.
/// </summary>
public static class GeneratePatientsCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, int count, TextWriter output, CancellationToken cancel = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<LanternOptions>>().Value;
        if (!options.DemoMode)
        {
            await output.WriteLineAsync("generate-patients is for demo and benchmark databases only: set Lantern:DemoMode=true.");
            return 2;
        }
        var db = scope.ServiceProvider.GetRequiredService<LanternDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var elapsed = Stopwatch.StartNew();
        var generated = await AddAsync(db, count, clock, cancel);
        await PatientBulkLoad.AnalyseAsync(db, cancel);
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(new AuditEvent(AuditAction.Create, "Patient", null,
            Reason: $"generate-patients: {count} synthetic patients loaded ({generated.WithNhsNumber} with test NHS numbers)",
            UserName: "system", Role: "Command line"), cancel);
        await output.WriteLineAsync($"Loaded {count} synthetic patients ({generated.WithNhsNumber} with 999-range NHS numbers, MRNs {generated.FirstMrn}…) " +
            $"in {elapsed.Elapsed.TotalSeconds:0.0} s: {count / elapsed.Elapsed.TotalSeconds:0} patients/s");
        return 0;
    }

    public sealed record Generated(int WithNhsNumber, string FirstMrn);

    /// <summary>Generates and bulk-loads <paramref name="count"/> patients, continuing the 999 NHS numbers and the MRN series.</summary>
    public static async Task<Generated> AddAsync(LanternDb db, int count, TimeProvider clock, CancellationToken cancel = default)
    {
        var lastTestNumber = await db.Patients.Where(p => p.NhsNumber != null && p.NhsNumber.StartsWith("999"))
            .OrderByDescending(p => p.NhsNumber).Select(p => p.NhsNumber).FirstOrDefaultAsync(cancel);
        var firstSerial = await HospitalNumbers.ReserveAsync(db, count, cancel);
        var now = clock.GetUtcNow().UtcDateTime;
        var generator = new SyntheticPatients(unchecked((int)firstSerial), UkTime.Today(clock));
        var withNumber = 0;
        IEnumerable<Patient> Patients()
        {
            using var numbers = SyntheticPatients.NhsNumbers(lastTestNumber).GetEnumerator();
            for (var i = 0; i < count; i++)
            {
                var nhs = numbers.MoveNext() ? numbers.Current : null;
                withNumber += nhs is null ? 0 : 1;
                yield return new Patient(HospitalNumbers.Format(firstSerial + i), generator.Next(nhs), now);
            }
        }
        await PatientBulkLoad.LoadAsync(db, Patients(), cancel);
        return new(withNumber, HospitalNumbers.Format(firstSerial));
    }
}
