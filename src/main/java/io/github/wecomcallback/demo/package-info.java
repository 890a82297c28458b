/** The echo demo served for the documentation's example credentials: an example of an application servlet. */
package io.github.wecomcallback.demo;
