using Lantern.Server.Security.OAuth;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace Lantern.Tests.Unit;

public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("system/Patient.rs", "Patient", TypeRestfulInteraction.Read, true)]
    [InlineData("system/Patient.rs", "Patient", TypeRestfulInteraction.SearchType, true)]
    [InlineData("system/Patient.rs", "Patient", TypeRestfulInteraction.Create, false)]
    [InlineData("system/Patient.rs", "Observation", TypeRestfulInteraction.Read, false)]
    [InlineData("system/*.cu", "Observation", TypeRestfulInteraction.Update, true)]
    [InlineData("system/*.cu", "Observation", TypeRestfulInteraction.Read, false)]
    [InlineData("system/Patient.read", "Patient", TypeRestfulInteraction.SearchType, true)]
    [InlineData("system/Patient.read", "Patient", TypeRestfulInteraction.Update, false)]
    [InlineData("system/Patient.write", "Patient", TypeRestfulInteraction.Create, true)]
    [InlineData("system/Patient.*", "Patient", TypeRestfulInteraction.Delete, true)]
    [InlineData("user/Patient.rs", "Patient", TypeRestfulInteraction.Read, false)]
    [InlineData("patient/Patient.rs", "Patient", TypeRestfulInteraction.Read, false)]
    [InlineData("system/Patient.xyz", "Patient", TypeRestfulInteraction.Read, false)]
    public void A_system_scope_allows_exactly_its_resource_type_and_permissions(string scope, string type, TypeRestfulInteraction interaction, bool allowed)
    {
        Assert.Equal(allowed, SmartScopes.Allow([scope], type, interaction));
    }

    [Theory]
    [InlineData("user/Observation.rs", "Observation", TypeRestfulInteraction.Read, true)]
    [InlineData("user/Observation.rs", "Observation", TypeRestfulInteraction.Create, false)]
    [InlineData("user/*.cruds", "Condition", TypeRestfulInteraction.Update, true)]
    [InlineData("system/*.cruds", "Condition", TypeRestfulInteraction.Read, false)]
    [InlineData("patient/Observation.rs", "Observation", TypeRestfulInteraction.Read, false)]
    public void An_app_for_a_user_needs_a_user_scope(string scope, string type, TypeRestfulInteraction interaction, bool allowed)
    {
        Assert.Equal(allowed, SmartScopes.Allow([scope], type, interaction, SmartScopes.User));
    }

    [Theory]
    [InlineData("system/Patient.rs", true)]
    [InlineData("system/*.cruds", true)]
    [InlineData("system/Observation.read", true)]
    [InlineData("system/Patient", false)]
    [InlineData("system/.rs", false)]
    [InlineData("system/patient.rs", false)]
    [InlineData("user/Patient.rs", false)]
    [InlineData("system/Patient.rsx", false)]
    public void Only_well_formed_system_scopes_can_be_registered(string scope, bool valid)
    {
        Assert.Equal(valid, SmartScopes.IsWellFormed(scope));
    }
}
