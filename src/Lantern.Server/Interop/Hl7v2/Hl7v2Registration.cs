using Lantern.Server.Interop.Hl7v2.Inbound;
using Lantern.Hl7v2.Mllp;
using Lantern.Server.Interop.Hl7v2.Mllp;
using Lantern.Server.Patients.Merging;

namespace Lantern.Server.Interop.Hl7v2;

public static class Hl7v2Registration
{
    /// <summary>The HL7 v2 interface engine: the inbox, what applies each message type, and the MLLP listener when a port is configured.</summary>
    public static IServiceCollection AddHl7v2(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Hl7v2Options>(configuration.GetSection(Hl7v2Options.Section));
        services.AddSingleton<Hl7Inbox>().AddScoped<AdtInbound>().AddScoped<OruInbound>();
        // A merge moves results and the record of which messages concerned the patient to the surviving record.
        services.AddPatientLinks<OrdersResults.ResultObservation, long>("Result").AddPatientLinks<InboundMessage, long>(Hl7Inbox.RecordType);
        // The sender before the listener: hosted services start in order, and new destinations join as the sender starts.
        if (configuration.GetSection($"{Hl7v2Options.Section}:Destinations").GetChildren().Any())
        {
            services.AddSingleton<Outbound.AdtSender>().AddHostedService(sp => sp.GetRequiredService<Outbound.AdtSender>());
            services.AddSingleton<Home.IAttentionNotice, Outbound.RefusedEventsNotice>();
        }
        if (configuration.GetValue<int?>($"{Hl7v2Options.Section}:Listener:Port") is { } port && port != 0)
        {
            services.AddSingleton<MllpListener>().AddHostedService(sp => sp.GetRequiredService<MllpListener>());
        }
        // A merge moves the record of what was sent about the patient too.
        services.AddPatientLinks<Outbound.OutboundMessage, long>("Hl7Outbound");
        return services;
    }
}
