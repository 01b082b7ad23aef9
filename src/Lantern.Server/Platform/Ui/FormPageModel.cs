using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lantern.Server.Platform.Ui;

/// <summary>
/// A page with a form. Errors are listed in the error summary in the order the page raised them
/// (top of the form first), as NHS design system guidance asks; ModelState alone does not keep order.
/// </summary>
public abstract class FormPageModel : PageModel
{
    private readonly List<string> errorOrder = [];

    /// <summary>Records a problem with <paramref name="field"/> (the input's name and id).</summary>
    protected void AddError(string field, string message)
    {
        ModelState.AddModelError(field, message);
        if (!errorOrder.Contains(field))
        {
            errorOrder.Add(field);
        }
    }

    public IReadOnlyList<(string Field, string Message)> Errors =>
        [.. ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .OrderBy(e => errorOrder.IndexOf(e.Key) is var i and >= 0 ? i : int.MaxValue)
            .SelectMany(e => e.Value!.Errors.Select(error => (e.Key, error.ErrorMessage)))];
}
