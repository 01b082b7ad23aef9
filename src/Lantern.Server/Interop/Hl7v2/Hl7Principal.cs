using System.Security.Claims;
using Lantern.Server.Security.OAuth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lantern.Server.Interop.Hl7v2;

/// <summary>
/// An interface acting as a registered system: the domain commands and the audit trail then see who read or changed
/// a record (e.g. "hl7:PAS") and from or to where (the MLLP peer), as for any other request.
/// </summary>
internal static class Hl7Principal
{
    public static void Use(IServiceProvider services, string userName, string? peer)
    {
        var identity = new ClaimsIdentity("HL7v2", ClaimTypes.Name, Claims.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, userName));
        identity.AddClaim(new Claim(Claims.Role, TokenEndpoint.SystemRole));
        var http = new DefaultHttpContext { RequestServices = services, User = new ClaimsPrincipal(identity) };
        if (peer is not null && System.Net.IPEndPoint.TryParse(peer, out var endpoint))
        {
            http.Connection.RemoteIpAddress = endpoint.Address;
        }
        http.Request.Headers.UserAgent = "HL7 v2 MLLP";
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = http;
    }
}
