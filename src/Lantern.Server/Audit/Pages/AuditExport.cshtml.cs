using System.Globalization;
using System.Text;
using Lantern.Server.Platform.Storage;
using Lantern.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Lantern.Server.Audit.Pages;

/// <summary>The filtered audit trail as CSV (RFC 4180), streamed; the export itself is audited.</summary>
[RequireActivity(Activity.ViewAudit)]
public sealed class AuditExportModel(LanternDb db, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true)] public AuditFilter Filter { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancel)
    {
        await audit.SaveAsync(new AuditEvent(AuditAction.Export, "AuditTrail", Filter.Describe(), Filter.Patient), cancel);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"lantern-audit.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(false));
        await writer.WriteLineAsync("sequence,at_utc,user,role,action,record_type,record_id,patient_id,reason,outcome,client_address,user_agent,hash");
        await foreach (var e in Filter.Apply(db.AuditEntries).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancel))
        {
            await writer.WriteLineAsync(string.Join(',',
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                Csv(e.UserName), Csv(e.Role), e.Action, Csv(e.RecordType), Csv(e.RecordId), e.PatientId?.ToString() ?? "",
                Csv(e.Reason), e.Outcome, Csv(e.ClientAddress), Csv(e.UserAgent), Convert.ToHexString(e.Hash)));
        }
        return new EmptyResult(); // the CSV is the response; no page to render
    }

    /// <summary>Quotes when needed; a leading =, +, - or @ is neutralised so a spreadsheet cannot run it as a formula.</summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
