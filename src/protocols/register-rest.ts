// Registers the REST codecs with the codec table; the server imports this once, so index.ts need not know them.
import { registerCodec } from './index.js';
import { RestJsonCodec } from './rest-json.js';
import { RestXmlCodec } from './rest-xml.js';

registerCodec('restJson1', new RestJsonCodec());
registerCodec('restXml', new RestXmlCodec());
