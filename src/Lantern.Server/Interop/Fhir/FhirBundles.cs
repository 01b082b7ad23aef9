using System.Globalization;
using Hl7.Fhir.Model;
using Lantern.Server.Audit;
using Lantern.Server.Interop.Fhir.Store;
using Lantern.Server.Interop.Fhir.Validation;
using Lantern.Server.Patients.Registration;
using Lantern.Server.Patients.Search;
using Lantern.Server.Platform;
using Lantern.Server.Platform.Identity;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Lantern.Server.Security.OAuth;
using OpenIddict.Abstractions;
using AuditEvent = Lantern.Server.Audit.AuditEvent;
using FhirPatient = Hl7.Fhir.Model.Patient;

namespace Lantern.Server.Interop.Fhir;

/// <summary>An entry that stops a transaction: which entry, and the OperationOutcome to answer with.</summary>
public sealed class BundleEntryException(int entry, int status, OperationOutcome.IssueType type, string message, string? expression = null)
    : Exception($"Entry {entry}: {message}")
{
    public int Status => status;

    public IResult Outcome => FhirFormat.Outcome(status, type, $"Bundle.entry[{entry}]: {message}", expression is null ? $"Bundle.entry[{entry}]" : $"Bundle.entry[{entry}].resource.{expression}");
}

/// <summary>
/// Transaction and batch Bundles at POST /fhir. A transaction is all or nothing, in one database transaction:
/// every POST gets its id first, then every <c>urn:uuid:</c> reference in the Bundle (contained resources
/// included) and every conditional reference (<c>Patient?identifier=…</c>) is rewritten to the real
/// <c>Type/id</c>, then the entries are stored. Patients go into the master patient index with the pages'
/// validation; everything else into the FHIR store. A batch runs each entry on its own. Each entry is checked as
/// if it were its own request (role and care relationship for staff, scope for systems); the audit trail gets
/// one entry per patient per Bundle, listing what was created.
/// </summary>
public sealed class FhirBundles(LanternDb db, FhirStore store, PatientRegistry registry, HospitalNumbers hospitalNumbers, PatientSearch search,
    AuditTrail audit, CurrentStaff staff, TimeProvider clock)
{
    /// <summary>Entries saved at a time inside a transaction: the change tracker is emptied after each save, so a large Bundle's rows are not all held.</summary>
    private const int SaveEvery = 500;

    /// <summary>Applies a transaction or batch whose entries have all been checked (<paramref name="facts"/>: what each is).</summary>
    public async Task<IResult> ProcessAsync(TransactionBundle bundle, IReadOnlyList<BundleEntryFacts> facts, CancellationToken cancel)
    {
        if (bundle.Header.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
        {
            return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, "POST /fhir takes a transaction or batch Bundle", "Bundle.type");
        }
        for (var i = 0; i < facts.Count; i++)
        {
            if (facts[i].Method is not (Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT) || facts[i].ResourceType is null)
            {
                return FhirFormat.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported,
                    $"Bundle.entry[{i}]: only POST (create) and PUT (update) entries with a resource are supported", $"Bundle.entry[{i}].request.method");
            }
        }
        if (bundle.Header.Type == Bundle.BundleType.Batch)
        {
            return await BatchAsync(bundle, facts, cancel);
        }
        // Hospital numbers are reserved outside the transaction (a reservation commits on its own).
        var mrns = new Queue<string>();
        foreach (var _ in facts.Where(e => e.Method == Bundle.HTTPVerb.POST && e.ResourceType == "Patient"))
        {
            mrns.Enqueue(await hospitalNumbers.NextAsync(db, cancel));
        }
        try
        {
            var response = await audit.SaveInTransactionAsync(async c =>
            {
                var (result, audits) = await ApplyAsync(bundle, facts, mrns, c);
                await db.SaveChangesAsync(c);
                return (result, audits);
            }, cancel);
            return FhirFormat.Resource(response);
        }
        catch (BundleEntryException refused)
        {
            return refused.Outcome;
        }
    }

    private async Task<IResult> BatchAsync(TransactionBundle bundle, IReadOnlyList<BundleEntryFacts> facts, CancellationToken cancel)
    {
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse, Id = Guid.NewGuid().ToString() };
        for (var i = 0; i < bundle.Count; i++)
        {
            var single = TransactionBundle.Of(new Bundle { Type = Bundle.BundleType.Transaction, Entry = [bundle.Entry(i)] });
            var result = await ProcessAsync(single, [facts[i]], cancel);
            // Each batch entry is a one-entry transaction; its answer becomes this entry's response.
            response.Entry.Add(result is IStatusCodeHttpResult { StatusCode: >= 400 } failed
                ? new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = failed.StatusCode!.Value.ToString(CultureInfo.InvariantCulture) } }
                : new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "201" } });
        }
        return FhirFormat.Resource(response);
    }

    private async Task<(Bundle Response, IReadOnlyList<AuditEvent> Audits)> ApplyAsync(TransactionBundle bundle, IReadOnlyList<BundleEntryFacts> facts, Queue<string> mrns,
        CancellationToken cancel)
    {
        // 1. Ids for every new resource, so that references can be rewritten before anything is stored.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var assigned = new string?[facts.Count];
        for (var i = 0; i < facts.Count; i++)
        {
            var (type, method) = (facts[i].ResourceType!, facts[i].Method!.Value);
            Authorise(type, method, i);
            if (method != Bundle.HTTPVerb.POST)
            {
                continue;
            }
            assigned[i] = type == "Patient"
                ? await RegisterAsync((FhirPatient)bundle.Entry(i).Resource!, mrns.Dequeue(), i, cancel)
                : Guid.NewGuid().ToString();
            if (facts[i].FullUrl is { } fullUrl)
            {
                ids[fullUrl] = $"{type}/{assigned[i]}";
            }
        }
        // 2. Each entry read again, its references rewritten (urn:uuid: to Type/id, conditional references to the one match), and stored.
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse, Id = Guid.NewGuid().ToString() };
        var created = new Dictionary<Guid, List<string>>();
        for (var i = 0; i < facts.Count; i++)
        {
            var entry = bundle.Entry(i);
            await ResolveReferencesAsync(entry.Resource!, ids, i, cancel);
            if (facts[i].ResourceType == "Patient")
            {
                // Registered in step 1 (the master patient index keeps no references); a dangling one still stops the transaction.
                response.Entry.Add(Created("Patient", assigned[i]!, "0"));
                continue;
            }
            var existing = entry.Request!.Method == Bundle.HTTPVerb.PUT ? await ExistingAsync(entry, i, cancel) : null;
            var (row, refusal) = await store.StageAsync(entry.Resource!, existing, existing is null ? assigned[i] : null, cancel);
            if (refusal is not null)
            {
                throw new BundleEntryException(i, refusal.Status, refusal.Type, refusal.Message, refusal.Expression?.Split('.', 2).ElementAtOrDefault(1));
            }
            var key = row!.PatientId ?? Guid.Empty;
            (created.TryGetValue(key, out var list) ? list : created[key] = []).Add(entry.Resource!.TypeName);
            response.Entry.Add(Created(entry.Resource!.TypeName, row.LogicalId, row.VersionId.ToString(CultureInfo.InvariantCulture), existing is not null));
            if ((i + 1) % SaveEvery == 0)
            {
                // Inside the one transaction still: saved rows are let go, so memory stays flat however many entries follow.
                await db.SaveChangesAsync(cancel);
                db.ChangeTracker.Clear();
            }
        }
        var audits = created.Select(c => new AuditEvent(AuditAction.Create, "FhirTransaction", bundle.Header.Id, c.Key == Guid.Empty ? null : c.Key,
            "FHIR transaction: " + string.Join(", ", c.Value.GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}")))).ToList();
        return (response, audits.Count > 0 ? audits : [new AuditEvent(AuditAction.Create, "FhirTransaction", bundle.Header.Id, Reason: "FHIR transaction: patients only")]);
    }

    private async System.Threading.Tasks.Task ResolveReferencesAsync(Resource resource, Dictionary<string, string> ids, int i, CancellationToken cancel)
    {
        foreach (var reference in References(resource))
        {
            if (reference.Reference is not { } target)
            {
                continue;
            }
            if (ids.TryGetValue(target, out var real))
            {
                reference.Reference = real;
            }
            else if (target.StartsWith("urn:uuid:", StringComparison.Ordinal))
            {
                throw new BundleEntryException(i, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotFound, $"{target} is not the fullUrl of any entry in this Bundle");
            }
            else if (target.StartsWith("Patient?", StringComparison.Ordinal))
            {
                reference.Reference = await ConditionalPatientAsync(target, i, cancel);
            }
        }
    }

    private static Bundle.EntryComponent Created(string type, string id, string version, bool updated = false) => new()
    {
        Response = new Bundle.ResponseComponent
        {
            Status = updated ? "200 OK" : "201 Created",
            Location = $"{type}/{id}/_history/{version}",
            Etag = $"W/\"{version}\"",
        },
    };

    /// <summary>Each entry as if it were its own request: staff by role (and an app for them by its user scopes too), systems by scope.</summary>
    private void Authorise(string type, Bundle.HTTPVerb method, int i)
    {
        var interaction = method == Bundle.HTTPVerb.POST ? CapabilityStatement.TypeRestfulInteraction.Create : CapabilityStatement.TypeRestfulInteraction.Update;
        var allowed = staff.IsSystem
            ? SmartScopes.Allow(staff.Principal.GetScopes(), type, interaction)
            : staff.Can(type == "Patient" ? Activity.RegisterPatient : Activity.WriteClinicalNote) && (staff.AppClientId is null || staff.AppMay(type, interaction));
        if (allowed && type == "Patient" && method == Bundle.HTTPVerb.POST && staff.ConfinedToPatient is not null)
        {
            throw new BundleEntryException(i, StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, "An app launched on one patient may not register another");
        }
        if (!allowed)
        {
            throw new BundleEntryException(i, StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, $"You may not {interaction.ToString().ToLowerInvariant()} {type} resources");
        }
        if (type != "Patient" && !FhirSearchIndex.StoredTypes.Contains(type))
        {
            throw new BundleEntryException(i, StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotSupported, $"Lantern does not hold {type} resources: see /fhir/metadata");
        }
        if (type == "Patient" && method == Bundle.HTTPVerb.PUT)
        {
            throw new BundleEntryException(i, StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotSupported, "Update patients with PUT /fhir/Patient/{id} and If-Match, not inside a Bundle");
        }
    }

    private async Task<string> RegisterAsync(FhirPatient patient, string mrn, int i, CancellationToken cancel)
    {
        var (demographics, errors) = FhirPatients.ToDetails(patient).Validate(UkTime.Today(clock));
        if (demographics is null)
        {
            var first = errors[0];
            throw new BundleEntryException(i, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, string.Join("; ", errors.Select(e => e.Message)),
                FhirPatients.ElementOf(first.Field)["Patient.".Length..]);
        }
        var result = await registry.RegisterWithMrnAsync(demographics, mrn, cancel);
        return result.Outcome == RegistrationOutcome.Registered
            ? result.Patient!.Id.ToString()
            : throw new BundleEntryException(i, StatusCodes.Status409Conflict, OperationOutcome.IssueType.Duplicate, $"This NHS number is already registered to {result.NhsNumberHolderMrn}");
    }

    private async Task<StoredResource> ExistingAsync(Bundle.EntryComponent entry, int i, CancellationToken cancel)
    {
        var url = entry.Request!.Url ?? "";
        var parts = url.Split('/');
        if (parts.Length != 2 || parts[0] != entry.Resource!.TypeName || await store.ForUpdateAsync(parts[0], parts[1], cancel) is not { } existing)
        {
            throw new BundleEntryException(i, StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"PUT {url}: no such resource (Lantern assigns ids: use POST)");
        }
        if (entry.Request!.IfMatch is { } ifMatch && Patients.PatientEndpoints.ParseIfMatch(ifMatch) != existing.VersionId)
        {
            throw new BundleEntryException(i, StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict, $"{url} is now at version {existing.VersionId}");
        }
        entry.Resource!.Id = parts[1];
        return existing;
    }

    private async Task<string> ConditionalPatientAsync(string target, int i, CancellationToken cancel)
    {
        var (matches, problems) = await FhirPatientSearch.MatchAsync(search, target["Patient".Length..], cancel);
        if (matches is null)
        {
            throw new BundleEntryException(i, StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"{target}: " + string.Join("; ", problems.Select(p => p.Message)));
        }
        return matches.Count == 1 ? $"Patient/{matches[0].Id}"
            : throw new BundleEntryException(i, StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.MultipleMatches,
                $"{target} matches {(matches.Count == 0 ? "no" : "more than one")} patient");
    }

    /// <summary>Every reference anywhere in a resource, contained resources and extensions included.</summary>
    public static IEnumerable<ResourceReference> References(Base node)
    {
        foreach (var (_, value) in node.EnumerateElements())
        {
            foreach (var child in value is IEnumerable<Base> list ? list : value is Base single ? [single] : [])
            {
                if (child is ResourceReference reference)
                {
                    yield return reference;
                }
                foreach (var inner in References(child))
                {
                    yield return inner;
                }
            }
        }
    }
}
