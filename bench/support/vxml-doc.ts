/** A fixed VoiceXML document of the size of Parley's, answered by the IVR benchmark's baseline and floor routes. */
const field =
  '<field name="userinput"><grammar src="builtin:speech/transcribe"/><prompt>We are open Monday to Friday.</prompt></field>';
export const benchVxmlDocument = `<?xml version="1.0" encoding="UTF-8"?><vxml xmlns="http://www.w3.org/2001/vxml" version="2.1"><form id="parley">${field.repeat(12)}</form></vxml>`;
