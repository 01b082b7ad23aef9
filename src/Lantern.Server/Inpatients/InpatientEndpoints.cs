using System.Text.Json;
using Lantern.Server.Audit;
using Lantern.Server.Inpatients.Adt;
using Lantern.Server.Platform;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Inpatients;

public sealed record WardStayView(string Ward, string? Bed, DateTime StartedAt, DateTime? EndedAt);

public sealed record EpisodeView(int TeamId, string Team, string Specialty, DateTime StartedAt, DateTime? EndedAt);

public sealed record SpellEventView(int Sequence, string Kind, DateTime At, string RecordedBy, DateTime? UndoneAt);

/// <summary>A spell as the API returns it: where the patient is, and the whole journey so far.</summary>
public sealed record SpellView(int Id, Guid PatientId, string Status, DateTime AdmittedAt, string AdmissionMethod, string AdmissionSource,
    DateOnly? ExpectedDischargeDate, DateTime? DischargedAt, string? DischargeMethod, string? DischargeDestination, string Ward, string? Bed,
    int? TeamId, int LengthOfStayDays, IReadOnlyList<WardStayView> WardStays, IReadOnlyList<EpisodeView> Episodes, IReadOnlyList<SpellEventView> Events)
{
    public static async Task<SpellView> LoadAsync(LanternDb db, int spellId, DateTime now, CancellationToken cancel) =>
        From(await Journeys(db).FirstAsync(x => x.Id == spellId, cancel), now);

    /// <summary>A patient's spells, newest first, in one (split) query whatever their number.</summary>
    public static async Task<List<SpellView>> ForPatientAsync(LanternDb db, Guid patientId, DateTime now, CancellationToken cancel) =>
        [.. (await Journeys(db).Where(x => x.PatientId == patientId).OrderByDescending(x => x.AdmittedAt).ThenByDescending(x => x.Id).ToListAsync(cancel))
            .Select(s => From(s, now))];

    private static IQueryable<Spell> Journeys(LanternDb db) => db.Spells.AsNoTracking().Include(x => x.Ward).Include(x => x.Bed)
        .Include(x => x.WardStays).ThenInclude(w => w.Ward).Include(x => x.WardStays).ThenInclude(w => w.Bed)
        .Include(x => x.Episodes).ThenInclude(e => e.Team).Include(x => x.Events).AsSplitQuery();

    private static SpellView From(Spell s, DateTime now) =>
        new(s.Id, s.PatientId, s.CancelledAt is not null ? "cancelled" : s.DischargedAt is not null ? "discharged" : "admitted",
            s.AdmittedAt, s.AdmissionMethod, s.AdmissionSource, s.ExpectedDischargeDate, s.DischargedAt, s.DischargeMethod, s.DischargeDestination,
            s.Ward!.Code, s.Bed?.Label, s.ResponsibleTeamId, s.LengthOfStayDays(now),
            [.. s.WardStays.OrderBy(w => w.StartedAt).ThenBy(w => w.Id).Select(w => new WardStayView(w.Ward!.Code, w.Bed?.Label, w.StartedAt, w.EndedAt))],
            [.. s.Episodes.OrderBy(e => e.StartedAt).ThenBy(e => e.Id).Select(e => new EpisodeView(e.TeamId, e.Team!.Name, e.Team.SpecialtyCode, e.StartedAt, e.EndedAt))],
            [.. s.Events.OrderBy(e => e.Sequence).Select(e => new SpellEventView(e.Sequence, JsonNamingPolicy.CamelCase.ConvertName(e.Kind.ToString()), e.At, e.RecordedBy, e.UndoneAt))]);
}

/// <summary>
/// ADT over JSON: admit, transfer, change consultant, discharge, undo the last change; read a spell. Refusals
/// are ProblemDetails naming the field (400), a clash with a simultaneous change (409), or no such spell (404).
/// </summary>
public static class InpatientEndpoints
{
    public static WebApplication MapInpatientApi(this WebApplication app)
    {
        var adt = app.MapGroup("/api/inpatients").RequireAuthorization(new RequireActivityAttribute(Activity.AdmitTransferDischarge));
        adt.MapPost("/admissions", async (AdmitRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.AdmitAsync(r, cancel), db, clock, created: true, cancel))
            .Describe<SpellView>("Admit a patient: opens a Hospital Provider Spell, its first consultant episode and ward stay (HL7 A01)", StatusCodes.Status201Created);
        adt.MapPost("/spells/{spellId:int}/transfer", async (int spellId, TransferRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.TransferAsync(spellId, r, cancel), db, clock, created: false, cancel))
            .Describe<SpellView>("Transfer to another bed or ward: closes the ward stay and opens the next (A02)");
        adt.MapPost("/spells/{spellId:int}/consultant", async (int spellId, ConsultantChangeRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.ChangeConsultantAsync(spellId, r, cancel), db, clock, created: false, cancel))
            .Describe<SpellView>("Change of consultant: closes the consultant episode and opens the next (A54)");
        adt.MapPost("/spells/{spellId:int}/expected-discharge", async (int spellId, ExpectedDischargeRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.SetExpectedDischargeAsync(spellId, r, cancel), db, clock, created: false, cancel))
            .Describe<SpellView>("Revise (or clear) the expected discharge date (sent on as A08)");
        adt.MapPost("/spells/{spellId:int}/discharge", async (int spellId, DischargeRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.DischargeAsync(spellId, r, cancel), db, clock, created: false, cancel))
            .Describe<SpellView>("Discharge with method and destination; the bed goes to cleaning (A03)");
        adt.MapPost("/spells/{spellId:int}/undo", async (int spellId, UndoRequest r, AdtCommands commands, LanternDb db, TimeProvider clock, CancellationToken cancel) =>
            await Answer(await commands.UndoLastAsync(spellId, r, cancel), db, clock, created: false, cancel))
            .Describe<SpellView>("Undo the last admit, transfer, consultant change or discharge, restoring beds exactly (A11/A12/A13/A55)");

        app.MapGet("/api/inpatients/spells/{spellId:int}", async (int spellId, LanternDb db, PatientAccess access, TimeProvider clock, CancellationToken cancel) =>
        {
            if (await access.OpenSpellPatientAsync(db, spellId, cancel) is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such admission");
            }
            return Results.Ok(await SpellView.LoadAsync(db, spellId, clock.GetUtcNow().UtcDateTime, cancel));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<SpellView>("An admission with its ward stays, consultant episodes and recorded changes");
        // The patient's journey: every admission with its movements and episodes, newest first.
        app.MapGet("/api/patients/{id:guid}/spells", async (Guid id, LanternDb db, PatientAccess access, TimeProvider clock, CancellationToken cancel) =>
        {
            if ((await access.OpenDemographicsAsync(id, cancel)).Level != PatientAccessLevel.DemographicsOnly)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such patient");
            }
            return Results.Ok(await SpellView.ForPatientAsync(db, id, clock.GetUtcNow().UtcDateTime, cancel));
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics))
            .Describe<List<SpellView>>("A patient's admissions, newest first, each with its movements");
        // Live bed boards: one "changed" event whenever an ADT change touches the ward; the page then refetches its grid.
        // The stream also ends when the server is stopping, so that open boards never hold up a restart.
        app.MapGet("/wards/{code}/changes", async (string code, LanternDb db, WardChanges changes, IHostApplicationLifetime lifetime, CancellationToken cancel) =>
        {
            var wardId = await db.Wards.Where(w => w.Code == code).Select(w => (int?)w.Id).FirstOrDefaultAsync(cancel);
            return wardId is null ? Results.NotFound() : TypedResults.ServerSentEvents(Signals(changes, wardId.Value, cancel, lifetime.ApplicationStopping), eventType: "changed");
        }).RequireAuthorization(new RequireActivityAttribute(Activity.ViewDemographics));
        return app;
    }

    private static async IAsyncEnumerable<string> Signals(WardChanges changes, int wardId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        var (id, signals) = changes.Watch(wardId);
        try
        {
            yield return "watching"; // sends the headers at once, so the browser knows it is connected
            while (await WaitAsync(signals, ended.Token))
            {
                yield return "changed";
            }
        }
        finally
        {
            changes.Stop(id);
        }
    }

    /// <summary>Waits for the next signal; false when the browser has gone or the server is stopping.</summary>
    private static async Task<bool> WaitAsync(System.Threading.Channels.ChannelReader<int> signals, CancellationToken ended)
    {
        try
        {
            return await signals.ReadAsync(ended) >= 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return false;
        }
    }

    private static async Task<IResult> Answer(AdtResult result, LanternDb db, TimeProvider clock, bool created, CancellationToken cancel)
    {
        if (result.NotFound)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such admission");
        }
        if (result.Spell is not { } spell)
        {
            return FieldProblems.From(result.Errors, result.Conflict);
        }
        var view = await SpellView.LoadAsync(db, spell.Id, clock.GetUtcNow().UtcDateTime, cancel);
        return created ? Results.Created($"/api/inpatients/spells/{spell.Id}", view) : Results.Ok(view);
    }
}
