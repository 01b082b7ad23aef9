using System.Text.Json;
using Lantern.Server.Patients.Registration;

namespace Lantern.Server.Platform;

/// <summary>A command's refusal as ProblemDetails: field errors under their camelCase JSON names (400), a clash with a simultaneous change (409).</summary>
public static class FieldProblems
{
    public static IResult From(IReadOnlyList<FieldError> errors, bool conflict)
    {
        var fieldErrors = errors.Where(e => e.Field.Length > 0).ToList();
        var general = string.Join(" ", errors.Where(e => e.Field.Length == 0).Select(e => e.Message));
        return fieldErrors.Count > 0
            ? Results.ValidationProblem(fieldErrors.GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                detail: general.Length > 0 ? general : null)
            : Results.Problem(statusCode: conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                title: conflict ? "Changed by someone else" : "Not possible", detail: general);
    }
}
